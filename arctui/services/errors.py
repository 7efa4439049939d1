"""Errors a collector sees: each message says what was wrong and what to do."""


class ServiceError(Exception):
    """An action that cannot be done as asked; nothing was written."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """A field with a value the action cannot take."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


class StaleEdit(ServiceError):
    """Someone else saved a newer version since this one was loaded."""
