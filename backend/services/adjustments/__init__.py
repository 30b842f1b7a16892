"""Changing targets inside an active period (#14): requests, people changes, relief."""
