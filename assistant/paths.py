"""The user's data folder: question history, saved conversations and exports.

These belong to the person, not to a corpus or an index, so they live outside both:
``$GRANSKA_DATA_DIR`` (``Settings.data_dir``) when set, else ``$XDG_DATA_HOME/granska``,
else ``~/.local/share/granska`` (the XDG base-directory default). Folders are created
on first write, private to the user (mode 0700): questions can be confidential.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.errors import ConfigError
from assistant.settings import Settings, get_settings

APP_FOLDER = "granska"
HISTORY_FILE = "history.jsonl"
CONVERSATIONS = "conversations"
EXPORTS = "exports"


def data_dir(settings: Settings | None = None) -> Path:
    """The data folder (not created here)."""
    settings = settings or get_settings()
    if settings.data_dir is not None:
        return settings.data_dir.expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / APP_FOLDER
    return Path.home() / ".local" / "share" / APP_FOLDER


def history_file(settings: Settings | None = None) -> Path:
    """Questions asked in the app, one JSON string per line, oldest first."""
    return data_dir(settings) / HISTORY_FILE


def conversations_dir(settings: Settings | None = None) -> Path:
    """Saved conversations (``NAME.json``), from ``ask --conversation`` and the app."""
    return data_dir(settings) / CONVERSATIONS


def legacy_conversations_dir(settings: Settings) -> Path:
    """Where ``ask --conversation`` kept conversations before the data folder existed."""
    return settings.index / "conversations"


def exports_dir(settings: Settings | None = None) -> Path:
    """The default folder for conversations exported as Markdown."""
    return data_dir(settings) / EXPORTS


def ensure_dir(folder: Path) -> Path:
    """Create ``folder`` (and parents) readable only by the user; return it.

    Raises:
        ConfigError: The folder cannot be created (names it and says what to do).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise ConfigError(
            f"{folder}: cannot create the folder ({e.strerror}); "
            "set GRANSKA_DATA_DIR to a writable folder"
        ) from e
    return folder
