"""The agreements pages, one module per concern."""
