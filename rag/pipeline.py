"""The pipeline object the CLI, the UI and the evaluation call: load or build the index, then ask."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from rag.answer.citations import CITATION, marker_numbers
from rag.answer.compose import ComposeContext, ExtractiveComposer
from rag.answer.concepts import ConceptCoverage
from rag.answer.llm import llm_configured
from rag.answer.quotes import prepare as prepare_quotes
from rag.answer.relevance import Coverage
from rag.answer.roles import SentenceRoles
from rag.config import DEFAULT_CORPUS_DIR, MAX_TOP_K, Settings
from rag.corpus.catalog import load_catalog
from rag.corpus.glossary import Glossary
from rag.corpus.lexicon import Lexicon
from rag.index.build import Index, IndexUnusable, build_index, is_stale, load_index
from rag.retrieve.retrievers import DenseRetriever, FilterMasks, LexicalRetriever, make_retriever
from rag.text.names import Names
from rag.text.tokenize import Tokenizer
from rag.types import NO_FILTERS, Answer, Chunk, Filters, Language, Mode, Notice, ScoredChunk, WarningCode
from rag.understand.conversation import answer_language, in_script, resolve
from rag.understand.intent import Intent, classify
from rag.understand.query import (
    NOTHING_ASKED,
    NOTHING_ASKED_WARNING,
    Query,
    QuestionError,
    build_query,
    detect_language,
    validate_question,
)
from rag.understand.reading import QuestionReader

MODEL_UNAVAILABLE = Notice(WarningCode.MODEL_UNAVAILABLE, "embedding model unavailable offline: lexical retrieval only")


class Pipeline:
    """Corpus → index → retrieval → answer, configured by one Settings object."""

    def __init__(self, settings: Settings | None = None, progress: Callable[[str], None] | None = None,
                 rebuild: bool = False, progress_bar: bool = False) -> None:
        """`rebuild`: build the index afresh without reading the old one (`rag index --force`); `progress_bar`:
        a bar with the time left while passages are embedded (for a terminal)."""
        self.settings = settings or Settings()
        self._bar = progress_bar
        self._force = rebuild
        self._progress = progress or (lambda message: None)
        self.notices: list[str] = []
        self.model_warning: Notice | None = None
        # the corpus's own lexicon adds to the shipped one; LexiconError names a bad file
        self.lexicon = Lexicon.load(self.settings.lexicon_dir, base=DEFAULT_CORPUS_DIR / "lexicon")
        self.embedder = self._load_embedder()
        self._load_corpus()
        self.reranker = self._load_reranker()
        self.llm = self._load_llm()

    def refresh(self) -> Index:
        """Re-read the corpus (after a document was added) and bring the index up to date.

        Only changed chunks are embedded again (vectors are cached by content); the lexical index is rebuilt,
        which takes about half a second for this corpus.
        """
        self._load_corpus()
        return self.index

    def refreshed(self) -> Pipeline:
        """A copy of this pipeline over the corpus as it is now (after a library change), its index brought up to
        date. This one is left as it was and can keep answering meanwhile, so a rebuild that fails changes nothing."""
        other = copy.copy(self)
        other.notices = list(self.notices)
        other._load_corpus()
        other.llm = other._load_llm()  # it names bodies and documents from the catalog
        return other

    def _load_llm(self):
        """The LLM answerer over this pipeline's catalog, or None when no LLM is configured."""
        if not llm_configured(self.settings):
            return None
        from rag.answer.llm import LLMAnswerer, LLMConfig

        return LLMAnswerer(LLMConfig.from_settings(self.settings), catalog=self.catalog)

    def _load_corpus(self) -> None:
        self.catalog = load_catalog(self.settings.corpus_dir)
        self.curated = Glossary.load(self.settings.corpus_dir / "glossary.tsv")
        self.glossary = self.curated  # with the dictionary's wordings of the corpus's words once the index is loaded
        body_names = [name for body in self.catalog.bodies.values() for name in (body.name_zh, *body.short_zh)]
        self.tokenizer = Tokenizer.from_corpus(
            self.settings.corpus_dir,
            extra_terms=[*self.curated.chinese_terms(), *body_names, *QuestionReader.terms(self.lexicon)],
        )
        # every name of every body: searched for, never weighed as a topic word
        self.body_names = Names(name for body in self.catalog.bodies.values() for name in body.names())
        self.reader = QuestionReader(self.tokenizer, self.lexicon, self.body_names)
        # English framing as stems: not searched for (see build_query)
        framing = self.tokenizer.tokenize(" ".join(self.lexicon.framing))
        self.unsearched = frozenset(t for t in framing if t.isascii())
        self.untranslated = frozenset(t for t in framing if not t.isascii())  # 團體 is no "group" to look for
        self.index = self._ensure_index()
        for doc_id in self.index.manifest.get("documents_without_text", []):
            self.notices.append(f"The document {doc_id} yields no passage (is its file empty?): it cannot be found.")
        self._wire_retrievers()

    def _load_reranker(self):
        if not self.settings.reranker_model:
            return None
        from embeddings.model import ModelUnavailable
        from rag.retrieve.rerank import load_reranker

        try:
            return load_reranker(self.settings.reranker_model, self.settings.allow_download)
        except ModelUnavailable as exc:
            self.notices.append(f"{exc} Answers are not reranked.")
            return None

    def _load_embedder(self):
        """The embedding model, or None (lexical only) when lexical was asked for or the model cannot load."""
        if self.settings.mode is Mode.LEXICAL:
            return None
        from embeddings.model import EmbeddingConfig, ModelUnavailable, load_embedder

        config = EmbeddingConfig(model=self.settings.embedding_model, backend=self.settings.embedding_backend,
                                 allow_download=self.settings.allow_download, show_progress=self._bar,
                                 warm=self.settings.warm)
        try:
            return load_embedder(config)
        except ModelUnavailable as exc:
            self.notices.append(str(exc))
        except (OSError, ValueError, RuntimeError) as exc:  # a damaged model folder, say
            self.notices.append(f"The embedding model {self.settings.embedding_model} failed to load: {exc}")
        self.model_warning = MODEL_UNAVAILABLE
        return None

    def _wire_retrievers(self) -> None:
        self.glossary = self.curated.extended(self.index.dictionary)
        masks = FilterMasks(self.chunks)
        self.lexical = LexicalRetriever(self.index.lexical, masks, self.settings.dictionary_search_weight)
        self.dense = (
            DenseRetriever(self.index.dense, self.embedder, masks)
            if self.index.dense is not None and self.embedder is not None
            else None
        )
        self.default_mode = self.settings.mode or (Mode.HYBRID if self.dense else Mode.LEXICAL)
        self.coverage = Coverage(self.index.tokens)
        self.concepts = self._concept_coverage()
        if self.settings.warm:  # a server's first answers as fast as its later ones (answers unchanged)
            prepare_quotes(((c.text, c.body) for c in self.chunks), self.tokenizer,
                           SentenceRoles(self.lexicon, self.catalog))

    def _concept_coverage(self) -> ConceptCoverage:
        return ConceptCoverage(self.chunks, self.tokenizer, self.glossary, self.lexicon, self.body_names,
                               self.settings.judge)

    def with_settings(self, **changes: object) -> Pipeline:
        """This pipeline with other answer-time settings (judge thresholds, fusion, top_k): it shares the loaded
        corpus, index and models, so trying a setting costs only the questions asked (benchmarks/calibrate.py
        and tune_fusion.py sweep them this way)."""
        other = copy.copy(self)
        other.settings = replace(self.settings, **changes)
        other.notices = list(self.notices)
        other._wire_retrievers()
        return other

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    @property
    def documents(self) -> dict[str, str]:
        """Each document's text as the index read it (quotes are checked against it)."""
        return self.index.documents

    def _index_settings(self) -> dict:
        return {"chunk_max_chars": self.settings.chunk_max_chars, "chunk_min_chars": self.settings.chunk_min_chars,
                "embedding_max_chars": self.settings.embedding_max_chars}

    def _ensure_index(self) -> Index:
        wanted = self._index_settings()
        if self._force:
            self._force = False
            return self.rebuild(wanted)
        try:
            index = load_index(self.settings.index_dir, self.tokenizer, self.embedder)
        except IndexUnusable as exc:
            if (self.settings.index_dir / "CURRENT").exists():
                self.notices.append(f"{exc} Rebuilt it.")
            return self.rebuild(wanted)
        reason = is_stale(index, self.catalog, self.tokenizer, wanted, self.embedder, lexicon=self.lexicon)
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
            lexicon=self.lexicon,
            embedding_cache=self.settings.embedding_cache_dir,
        )
        self.index = index
        self._wire_retrievers()
        return index

    def retrieve(
        self, query: Query, top_k: int, mode: Mode | None = None, filters: Filters = NO_FILTERS
    ) -> tuple[list[ScoredChunk], Mode, list[Notice]]:
        """Ranked chunks (positions in `self.chunks`), the mode that actually ran, and warnings about the choice."""
        wanted = mode or self.default_mode
        warnings = [self.model_warning] if self.model_warning else []
        if wanted is not Mode.LEXICAL and self.dense is None and not self.model_warning:
            warnings.append(Notice(WarningCode.MODE_UNAVAILABLE,
                                   f"{wanted.value} retrieval needs the embedding model: lexical retrieval only"))
        ran = wanted if (wanted is Mode.LEXICAL or self.dense is not None) else Mode.LEXICAL
        retriever = make_retriever(ran, self.lexical, self.dense, self.settings.fusion)
        if self.reranker is None:
            return retriever.search(query, top_k, filters), ran, warnings
        from rag.retrieve.rerank import MAX_CANDIDATES

        candidates = retriever.search(query, max(top_k, MAX_CANDIDATES), filters)
        return self.reranker.rerank(query.question, candidates, [c.text for c in self.chunks], top_k), ran, warnings

    def filters(self, bodies: Iterable[str] | None = None, years: Iterable[int] | None = None,
                doc_ids: Iterable[str] | None = None) -> Filters:
        """Filters from the CLI's or UI's lists, checked against the catalog (QuestionError names the known)."""
        filters = Filters.of(bodies, years, doc_ids)
        unknown = sorted(filters.bodies - set(self.catalog.bodies)) if filters.bodies else []
        if unknown:
            raise QuestionError(
                f"Unknown body {', '.join(unknown)}. Known bodies: {', '.join(self.catalog.body_codes())}."
            )
        known_docs = {d.doc_id for d in self.catalog.documents}
        if filters.doc_ids and not filters.doc_ids <= known_docs:
            raise QuestionError(f"Unknown document. Known documents: {', '.join(sorted(known_docs))}.")
        return filters

    def ask(
        self,
        question: str | None,
        top_k: int | None = None,
        mode: Mode | None = None,
        bodies: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        doc_ids: Iterable[str] | None = None,
        history: Sequence[Answer | tuple[str, Answer] | str] | None = None,
    ) -> Answer:
        """Answer one question (a follow-up is read against `history`); raises QuestionError for an empty
        question or an unknown filter value."""
        answer, stream = self._prepare(question, top_k, mode, bodies, years, doc_ids, history)
        if stream is not None:
            for _ in stream:
                pass
            self._finish(answer, stream.result)
        return answer

    def stream(
        self,
        question: str | None,
        top_k: int | None = None,
        mode: Mode | None = None,
        bodies: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        doc_ids: Iterable[str] | None = None,
        history: Sequence[Answer | tuple[str, Answer] | str] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces as it is produced, then the final Answer."""
        answer, stream = self._prepare(question, top_k, mode, bodies, years, doc_ids, history)
        if stream is None:
            yield from answer.answer.splitlines(keepends=True)
        else:
            yield from stream
            self._finish(answer, stream.result)
        yield answer

    def _prepare(self, question, top_k, mode, bodies, years, doc_ids, history):
        """Retrieve and compose the extractive answer; with an LLM configured, also a pending synthesis."""
        started = time.perf_counter()
        top_k = self.settings.top_k if top_k is None else top_k
        if not 1 <= top_k <= MAX_TOP_K:
            raise QuestionError(f"top_k must be between 1 and {MAX_TOP_K}, not {top_k}.")
        asked, truncated = validate_question(question)
        previous, previous_language = _previous_question(history)
        resolved = resolve(asked, previous, self.catalog, self.lexicon, self.reader)
        language = answer_language(asked, previous_language)
        text = in_script(resolved.question, language) if resolved.followup else resolved.question
        read = self.reader.written(text, detect_language(text))  # colloquial words as written, for matching only
        query = build_query(read, self.tokenizer, self.glossary, self.body_names, self.unsearched, self.untranslated)
        query = replace(query, language=language, reading=query.language if query.language != language else None)
        intent = classify(read, self.catalog, self.lexicon)
        # one body's paper named by its year (「廠商會2024年…」, "CMA … in 2024") is the paper asked about, as when a
        # follow-up names it (a comparison of its years, or of bodies, weighs each side apart)
        named = intent.kind is Intent.ASK and len(intent.bodies) == 1 and bool(intent.years) and not (bodies or years)
        filters = self.filters(intent.bodies if named else bodies,
                               intent.years if named else list(years or []) or resolved.years, doc_ids)
        if not self.reader.content_words(read):
            return self._nothing_asked(asked, language, truncated, started), None
        ran_modes: list[Mode] = []
        warnings = list(truncated)
        searching = [0.0]

        def search(q: Query, k: int, within: Filters) -> list[ScoredChunk]:
            t = time.perf_counter()
            hits, ran, found = self.retrieve(q, k, mode, within)
            ran_modes.append(ran)
            warnings.extend(found)
            searching[0] += time.perf_counter() - t
            return hits

        like = _cited_before(history) if resolved.retargeted else []
        model = self.dense is not None and (mode or self.default_mode) is not Mode.LEXICAL
        composed = self._composer(search, ran_modes, similar=self.dense.like if model else None).compose(
            query, intent, top_k, filters, like=like)
        answer = Answer(
            question=asked, language=language, mode=ran_modes[0] if ran_modes else self.default_mode,
            answer=composed.text, bodies=composed.bodies, sources=composed.sources,
            abstained=composed.abstained, answerer="extractive",
            resolved_question=text if resolved.followup else None, filters=filters,
        )
        for notice in [*warnings, *composed.notes]:
            answer.warn(notice)
        answer.timings_ms = {"retrieve": round(searching[0] * 1000, 2)}
        answer._started = started  # type: ignore[attr-defined]
        stream = None
        if self.llm is not None and composed.sources and not composed.abstained and composed.synthesise:
            # a follow-up is put to the model as resolved ("那工總呢？" alone names no topic)
            stream = self.llm.stream(text, language, composed.sources, fallback=lambda: composed.text)
        else:
            self._finish(answer, None)
        return answer, stream

    def _nothing_asked(self, asked: str, language: Language, warnings: list[Notice], started: float) -> Answer:
        """The answer to a question with no word naming anything: a sentence saying so, nothing searched."""
        answer = Answer(question=asked, language=language, mode=self.default_mode, answer=NOTHING_ASKED[language],
                        bodies=[], sources=[], abstained=True)
        for notice in [*warnings, NOTHING_ASKED_WARNING]:
            answer.warn(notice)
        answer.timings_ms = {"retrieve": 0.0}
        answer._started = started  # type: ignore[attr-defined]
        self._finish(answer, None)
        return answer

    def _finish(self, answer: Answer, result) -> None:
        if result is not None:
            answer.answer, answer.answerer = result.text, result.answerer
            for message in result.warnings:
                answer.warn(Notice(WarningCode.LLM, message))
        total = (time.perf_counter() - answer._started) * 1000  # type: ignore[attr-defined]
        answer.timings_ms["answer"] = round(total - answer.timings_ms["retrieve"], 2)
        answer.timings_ms["total"] = round(total, 2)

    def _composer(self, search, ran_modes: list[Mode] | None = None, similar=None) -> ExtractiveComposer:
        ran = ran_modes if ran_modes is not None else []
        return ExtractiveComposer(
            ComposeContext(self.chunks, self.documents, self.catalog, self.tokenizer, self.coverage, self.concepts,
                           self.lexicon, self.settings.judge, search,
                           by_meaning=lambda: bool(ran) and ran[-1] is not Mode.LEXICAL, similar=similar)
        )


def _cited_before(history) -> list[str]:
    """The chunk id of the passage the conversation's last answer cited first ([n] in its text) for one of its
    bodies; none when only its question is known or it named no body."""
    answer = _last_answer(history)
    if answer is None or not answer.bodies:
        return []
    numbers = dict.fromkeys(n for m in CITATION.finditer(answer.answer) for n in marker_numbers(m))
    cited = [answer.sources[n - 1] for n in numbers if 0 < n <= len(answer.sources)]
    return [s.chunk_id for s in cited if s.body in answer.bodies][:1]


def _last_answer(history) -> Answer | None:
    """The conversation's last answer; None when there is none or only its question is known. Items are
    Answers, (question, Answer) pairs, or questions alone (`rag ask --previous`)."""
    last = history[-1] if history else None
    answer = last[1] if isinstance(last, tuple) else last
    return answer if isinstance(answer, Answer) else None


def _previous_question(history) -> tuple[str | None, Language | None]:
    """The last resolved question of a conversation and the language it was answered in."""
    if not history:
        return None, None
    answer = _last_answer(history)
    if answer is None:
        return history[-1], detect_language(history[-1])
    return answer.resolved_question or answer.question, answer.language
