"""One small exception tree. Every error carries a one-line message meant for the user.

The CLI prints ``str(error)`` to stderr and exits non-zero; the TUI shows it in a modal.
"""

from __future__ import annotations


class GranskaError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""


class DocumentError(GranskaError):
    """A single document could not be read. The rest of the corpus is still processed."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ConfigError(GranskaError):
    """A setting or command-line value is invalid."""


class IndexFolderError(GranskaError):
    """The index folder is missing, corrupt, locked or built with another model."""


class QuestionSetError(GranskaError):
    """An evaluation question file is invalid; the message names the line."""


class EndpointError(GranskaError):
    """The optional language-model endpoint failed or timed out."""
