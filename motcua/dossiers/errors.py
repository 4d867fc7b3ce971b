"""The one error type of the dossier domain: a translated message for people and a code for machines."""

from __future__ import annotations


class DossierError(Exception):
    """A rule refused the action; nothing was changed. `message` is already translated."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class StaleDossier(DossierError):
    """The dossier moved on since the page was loaded (another officer acted first)."""
