"""The error type of the feedback domain: a translated message for people, a code for machines, and the field."""

from __future__ import annotations


class FeedbackError(Exception):
    """A rule refused the action; nothing was changed. `message` is already translated."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class FeedbackInvalid(FeedbackError):
    """Input that fails its checks: one message per field (`errors`), so a form can show each beside its field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), code="invalid_input", field=next(iter(errors), None))
        self.errors = errors


class StaleReport(FeedbackError):
    """The report moved on since the page was loaded (someone else acted first)."""
