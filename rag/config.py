"""One configuration object, read from the environment once, at the edge (CLI, UI)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.types import Mode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpus"
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    index_dir: Path = PROJECT_ROOT / "index"
    top_k: int = 5
    mode: Mode | None = None  # None: hybrid when the embedding model loads, else lexical
    chunk_max_chars: int = 700
    chunk_min_chars: int = 120
    embedding_model: str = "intfloat/multilingual-e5-small"
    allow_download: bool = False
    reranker_model: str | None = None  # a cross-encoder (e.g. BAAI/bge-reranker-base); off by default on CPU
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.top_k < 1:
            raise ValueError("top_k must be greater than 0.")
        if self.chunk_min_chars >= self.chunk_max_chars:
            raise ValueError("chunk_min_chars must be smaller than chunk_max_chars.")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from RAG_* environment variables; explicit overrides win."""
        env = os.environ
        values: dict[str, object] = {}
        if "RAG_CORPUS_DIR" in env:
            values["corpus_dir"] = Path(env["RAG_CORPUS_DIR"])
        if "RAG_INDEX_DIR" in env:
            values["index_dir"] = Path(env["RAG_INDEX_DIR"])
        if "RAG_TOP_K" in env:
            values["top_k"] = int(env["RAG_TOP_K"])
        if env.get("RAG_MODE"):
            values["mode"] = Mode(env["RAG_MODE"])
        if "RAG_EMBEDDING_MODEL" in env:
            values["embedding_model"] = env["RAG_EMBEDDING_MODEL"]
        if env.get("RAG_RERANKER_MODEL"):
            values["reranker_model"] = env["RAG_RERANKER_MODEL"]
        if env.get("RAG_ALLOW_DOWNLOAD", "").lower() in {"1", "true", "yes"}:
            values["allow_download"] = True
        for key, name in (
            ("llm_base_url", "RAG_LLM_BASE_URL"),
            ("llm_model", "RAG_LLM_MODEL"),
            ("llm_api_key", "RAG_LLM_API_KEY"),
        ):
            if env.get(name):
                values[key] = env[name]
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir"):
            if key in values:
                values[key] = Path(values[key])  # type: ignore[arg-type]
        if isinstance(values.get("mode"), str):
            values["mode"] = Mode(values["mode"])
        return replace(cls(), **values)
