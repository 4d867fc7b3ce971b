"""Attachments rendered when a message is sent, named by a reference stored with the message.

    attachment_kind_register("dossier-form", render)      # render("receipt:42") -> (filename, bytes, mimetype)
    attachment_render("dossier-form:receipt:42")

Rendering at send time keeps the user's action fast and the outbox small; the content is the same because the
facts a form prints do not change once recorded.
"""

from __future__ import annotations

from collections.abc import Callable

Renderer = Callable[[str], tuple[str, bytes, str]]
_renderers: dict[str, Renderer] = {}


def attachment_kind_register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def attachment_render(reference: str) -> tuple[str, bytes, str]:
    kind, _sep, rest = reference.partition(":")
    if kind not in _renderers:
        raise LookupError(f"no attachment renderer for {kind!r}")
    return _renderers[kind](rest)
