"""Business operations as plain async functions over a session; the request boundary commits."""
