"""Every SQL query of the app lives here, one module per aggregate."""
