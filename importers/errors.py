"""The one error type the importer raises: its message is Chinese and says what to do."""


class PlanImportError(Exception):
    """A document that cannot be imported. ``str(err)`` is shown to the user as is."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
