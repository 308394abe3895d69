"""The pipeline object the CLI, the UI and the evaluation call: load or build the index, then ask."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict

import numpy as np

from rag.answer import make_sources, passages_answer
from rag.catalog import load_catalog
from rag.config import Settings
from rag.glossary import Glossary
from rag.index import Index, IndexUnusable, build_index, is_stale, load_index
from rag.loader import read_text
from rag.query import Query, QuestionError, build_query
from rag.retrieval import DenseRetriever, LexicalRetriever, make_retriever
from rag.schema import Answer, Chunk, Mode
from rag.tokenize import ChineseTokenizer

MODEL_UNAVAILABLE = "embedding model unavailable offline: lexical retrieval only"


class Pipeline:
    """Corpus → index → retrieval → answer, configured by one Settings object."""

    def __init__(self, settings: Settings | None = None, progress: Callable[[str], None] | None = None) -> None:
        self.settings = settings or Settings()
        self._progress = progress or (lambda message: None)
        self.catalog = load_catalog(self.settings.corpus_dir)
        self.glossary = Glossary.load(self.settings.corpus_dir / "glossary.tsv")
        body_names = [name for body in self.catalog.bodies.values() for name in (body.name_zh, *body.short_zh)]
        self.tokenizer = ChineseTokenizer.from_corpus(
            self.settings.corpus_dir, extra_terms=[*self.glossary.chinese_terms(), *body_names]
        )
        self.documents = {d.doc_id: read_text(self.catalog.path_of(d)) for d in self.catalog.documents}
        self.notices: list[str] = []
        self.model_warning: str | None = None
        self.embedder = self._load_embedder()
        self.index = self._ensure_index()
        self._wire_retrievers()

    def _load_embedder(self):
        """The embedding model, or None (lexical only) when lexical was asked for or the model cannot load."""
        if self.settings.mode is Mode.LEXICAL:
            return None
        from embeddings.model import EmbeddingConfig, ModelUnavailable, load_embedder

        self._progress(f"loading the embedding model {self.settings.embedding_model}")
        try:
            return load_embedder(
                EmbeddingConfig(model=self.settings.embedding_model, allow_download=self.settings.allow_download)
            )
        except ModelUnavailable as exc:
            self.notices.append(str(exc))
        except (OSError, ValueError, RuntimeError) as exc:  # a damaged model folder, say
            self.notices.append(f"The embedding model {self.settings.embedding_model} failed to load: {exc}")
        self.model_warning = MODEL_UNAVAILABLE
        return None

    def _wire_retrievers(self) -> None:
        self.lexical = LexicalRetriever(self.index.lexical)
        self.dense = (
            DenseRetriever(self.index.dense, self.embedder, [c.chunk_id for c in self.chunks])
            if self.index.dense is not None and self.embedder is not None
            else None
        )
        self.default_mode = self.settings.mode or (Mode.HYBRID if self.dense else Mode.LEXICAL)

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    def _index_settings(self) -> dict:
        return {"chunk_max_chars": self.settings.chunk_max_chars, "chunk_min_chars": self.settings.chunk_min_chars}

    def _ensure_index(self) -> Index:
        wanted = self._index_settings()
        try:
            index = load_index(self.settings.index_dir, self.tokenizer, self.embedder)
        except IndexUnusable as exc:
            if (self.settings.index_dir / "CURRENT").exists():
                self.notices.append(f"{exc} Rebuilt it.")
            return self.rebuild(wanted)
        reason = is_stale(index, self.catalog, self.tokenizer, wanted, self.embedder)
        if reason:
            self.notices.append(f"The index was rebuilt because {reason}.")
            return self.rebuild(wanted)
        return index

    def rebuild(self, settings: dict | None = None) -> Index:
        self._progress("building the index")
        index = build_index(
            self.settings.index_dir,
            self.catalog,
            self.tokenizer,
            settings or self._index_settings(),
            progress=self._progress,
            embedder=self.embedder,
        )
        if hasattr(self, "index"):
            self.index = index
            self._wire_retrievers()
        return index

    def retrieve(
        self, query: Query, top_k: int, mode: Mode | None = None, allowed: np.ndarray | None = None
    ) -> tuple[list[tuple[Chunk, float]], Mode, list[str]]:
        """Ranked (chunk, score) pairs, the mode that actually ran, and warnings about the choice."""
        wanted = mode or self.default_mode
        warnings = [self.model_warning] if self.model_warning else []
        if wanted is not Mode.LEXICAL and self.dense is None and not self.model_warning:
            warnings.append(f"{wanted.value} retrieval needs the embedding model: lexical retrieval only")
        ran = wanted if (wanted is Mode.LEXICAL or self.dense is not None) else Mode.LEXICAL
        retriever = make_retriever(ran, self.lexical, self.dense)
        hits = retriever.search(query, top_k, allowed)
        return [(self.chunks[h.index], h.score) for h in hits], ran, warnings

    def _allowed(
        self, bodies: Iterable[str] | None, years: Iterable[int] | None, doc_ids: Iterable[str] | None
    ) -> np.ndarray | None:
        bodies, years, doc_ids = list(bodies or []), list(years or []), list(doc_ids or [])
        unknown = [b for b in bodies if b not in self.catalog.bodies]
        if unknown:
            raise QuestionError(
                f"Unknown body {', '.join(unknown)}. Known bodies: {', '.join(self.catalog.body_codes())}."
            )
        known_docs = {d.doc_id for d in self.catalog.documents}
        if any(d not in known_docs for d in doc_ids):
            raise QuestionError(f"Unknown document. Known documents: {', '.join(sorted(known_docs))}.")
        if not (bodies or years or doc_ids):
            return None
        return np.array(
            [
                (not bodies or c.body in bodies)
                and (not years or c.year in years)
                and (not doc_ids or c.doc_id in doc_ids)
                for c in self.chunks
            ]
        )

    def ask(
        self,
        question: str | None,
        top_k: int | None = None,
        mode: Mode | None = None,
        bodies: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        doc_ids: Iterable[str] | None = None,
    ) -> Answer:
        """Answer one question; raises QuestionError for an empty question or an unknown filter value."""
        started = time.perf_counter()
        top_k = top_k or self.settings.top_k
        if top_k < 1:
            raise QuestionError("top_k must be greater than 0.")
        query = build_query(question, self.tokenizer, self.glossary)
        allowed = self._allowed(bodies, years, doc_ids)
        ranked, ran, retrieval_warnings = self.retrieve(query, top_k, mode, allowed)
        warnings = [*query.warnings, *retrieval_warnings]
        retrieved = time.perf_counter()
        sources = make_sources(ranked, query.tokens, self.tokenizer, self.documents)
        text = passages_answer(query.question, query.language, sources, self.catalog)
        bodies_out = list(dict.fromkeys(s.body for s in sources))
        finished = time.perf_counter()
        return Answer(
            question=query.question,
            language=query.language,
            mode=ran.value,
            answer=text,
            bodies=bodies_out,
            sources=sources,
            warnings=warnings,
            timings_ms={
                "retrieve": round((retrieved - started) * 1000, 2),
                "answer": round((finished - retrieved) * 1000, 2),
                "total": round((finished - started) * 1000, 2),
            },
        )

    def describe(self) -> dict:
        return {
            "settings": {k: str(v) for k, v in asdict(self.settings).items() if k != "llm_api_key"},
            "manifest": self.index.manifest,
        }
