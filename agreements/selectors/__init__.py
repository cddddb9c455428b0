"""Reads of the agreements app, one module per concern."""
