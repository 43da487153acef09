"""The API machinery every app shares (viewsets, filters, parsers, the exception handler)."""
