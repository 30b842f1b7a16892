"""The GraphQL API: a thin layer that parses input, calls one service and maps the result."""
