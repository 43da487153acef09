"""API plumbing shared by every app: the router, the read-only viewset, bounded id filters, the quick select,
the bounded inputs (inputs.py) and the exception handler. It imports no feature app, so departments, tasks and
reports can all build on it."""
