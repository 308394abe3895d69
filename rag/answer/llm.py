"""Optional LLM synthesis: an OpenAI-compatible endpoint writes the answer from the numbered sources.

Nothing here touches the network unless an endpoint is configured (`llm_configured`); llama-index is
imported only when a request is made. Every failure falls back to the extractive answer with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from rag.answer.citations import CITATION, citation, marker_numbers
from rag.config import PROJECT_ROOT, Settings
from rag.text.sentences import split_sentences
from rag.types import Source

if TYPE_CHECKING:
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.openai_like import OpenAILike

    from rag.corpus.catalog import Catalog

log = logging.getLogger(__name__)

PROMPTS_DIR = PROJECT_ROOT / "prompts"
NO_KEY = "not-needed"  # sent when no key is set, so the client never picks up OPENAI_API_KEY from the environment
_MARKER_PREFIX = re.compile(r"\[[\d\s,，、]*$")  # what a marker looks like before its "]" has arrived
_LEADING_MARKERS = re.compile(r"(?:\s*" + CITATION.pattern + r")*")
_BOLD_HEADING = re.compile(r"^\*\*[^*]+\*\*[:：]?$")


class PromptError(FileNotFoundError):
    """A prompt template is missing or lacks a placeholder; the message names the file."""


class LLMError(RuntimeError):
    """The endpoint failed or returned nothing usable."""


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call the OpenAI-compatible endpoint. `base_url` is the API root, e.g. http://host:8000/v1."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 30
    max_tokens: int = 600
    temperature: float = 0
    max_retries: int = 0  # a failed call falls back at once rather than retrying for a minute

    def __post_init__(self) -> None:
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be greater than 0.")
        if self.max_tokens < 1:
            raise ValueError("max_tokens must be greater than 0.")

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: float | int) -> LLMConfig:
        return cls(settings.llm_base_url, settings.llm_model, settings.llm_api_key, **overrides)  # type: ignore[arg-type]

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


def llm_configured(settings: Settings | LLMConfig) -> bool:
    """True only when both an endpoint and a model are set; otherwise no code path opens a socket."""
    return bool(settings.llm_base_url and settings.llm_model) if isinstance(settings, Settings) else settings.configured


def load_prompt(name: str, language: str, prompts_dir: Path | None = None) -> str:
    """The template prompts/<name>_<language>.txt, checked for its {question} and {sources} placeholders."""
    folder = prompts_dir or PROMPTS_DIR
    path = folder / f"{name}_{language}.txt"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob(f"{name}_*.txt"))) or "none"
        raise PromptError(f"No prompt template {path}. Templates for '{name}' here: {known}.")
    template = path.read_text(encoding="utf-8")
    missing = [key for key in ("{question}", "{sources}") if key not in template]
    if missing:
        raise PromptError(f"Prompt template {path} lacks the placeholder(s) {', '.join(missing)}.")
    return template


def format_sources(sources: list[Source], catalog: Catalog | None = None) -> str:
    """Numbered source blocks for the prompt: the citation (as everywhere), then the passage."""
    blocks = []
    for source in sources:
        blocks.append(f"[{source.n}] {citation(source, catalog)}\nPassage:\n{source.text.strip()}")
    return "\n\n".join(blocks)


def build_prompt(question: str, language: str, sources: list[Source], catalog: Catalog | None = None) -> str:
    return load_prompt("answer", language).format(question=question.strip(), sources=format_sources(sources, catalog))


def _make_llm(config: LLMConfig) -> OpenAILike:
    if not config.configured:
        raise LLMError("No LLM endpoint configured: set RAG_LLM_BASE_URL and RAG_LLM_MODEL.")
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=config.model,
        api_base=config.base_url,
        api_key=config.api_key or NO_KEY,
        is_chat_model=True,
        timeout=config.timeout_s,
        max_retries=config.max_retries,
        max_tokens=config.max_tokens,
        temperature=config.temperature,
    )


def _messages(prompt: str) -> list[ChatMessage]:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role="user", content=prompt)]


def synthesize(
    question: str, language: str, sources: list[Source], config: LLMConfig, catalog: Catalog | None = None
) -> str:
    """The LLM's answer, raw (not citation-checked). Raises on any endpoint failure."""
    prompt = build_prompt(question, language, sources, catalog)
    text = _make_llm(config).chat(_messages(prompt)).message.content or ""
    if not text.strip():
        raise LLMError("the endpoint returned an empty answer")
    return text.strip()


def stream_synthesis(
    question: str, language: str, sources: list[Source], config: LLMConfig, catalog: Catalog | None = None
) -> Iterator[str]:
    """The LLM's answer as text deltas, raw. Raises (possibly mid-stream) on any endpoint failure."""
    prompt = build_prompt(question, language, sources, catalog)
    for chunk in _make_llm(config).stream_chat(_messages(prompt)):
        if chunk.delta:
            yield chunk.delta


class CitationCheck(NamedTuple):
    text: str  # out-of-range markers removed
    dropped: list[int]  # out-of-range numbers, in order of first appearance
    uncited_sentences: list[str]
    warnings: list[str]


def _clean_marker(match: re.Match[str], n_sources: int, dropped: list[int]) -> str:
    numbers = marker_numbers(match)
    keep = [k for k in numbers if 1 <= k <= n_sources]
    dropped.extend(k for k in numbers if k not in keep and k not in dropped)
    return match.group(0) if keep == numbers else "".join(f"[{k}]" for k in keep)


def _sentences(text: str) -> Iterator[str]:
    """The answer's sentences (rag.text.sentences), heading lines skipped; a citation marker right after a
    sentence's end stays with that sentence ("… proposes it. [1]")."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        sentences: list[str] = []
        for sentence in (s.text for s in split_sentences(line)):
            lead = _LEADING_MARKERS.match(sentence)
            if lead and lead.end() and sentences:
                sentences[-1] += sentence[:lead.end()]
                sentence = sentence[lead.end():].strip()
            if sentence:
                sentences.append(sentence)
        yield from sentences


def _is_claim(bare: str) -> bool:
    """A fragment that states something: has a letter or ideograph and does not merely introduce a list."""
    return re.search(r"[^\W\d_]", bare) is not None and not bare.endswith((":", "："))


def check_citations(text: str, n_sources: int) -> CitationCheck:
    """Drop [n] markers that name no source; list the sentences that cite nothing."""
    dropped: list[int] = []
    cleaned = CITATION.sub(lambda m: _clean_marker(m, n_sources, dropped), text)
    uncited = []
    for sentence in _sentences(cleaned):
        bare = CITATION.sub("", sentence).strip(" -*•")
        if _is_claim(bare) and not _BOLD_HEADING.match(sentence) and not CITATION.search(sentence):
            uncited.append(sentence)
    warnings = []
    if dropped:
        cited = ", ".join(f"[{k}]" for k in dropped)
        warnings.append(f"LLM answer cited {cited}, which is not among the {n_sources} sources: marker removed.")
    if uncited:
        first = uncited[0] if len(uncited[0]) <= 80 else uncited[0][:79] + "…"
        warnings.append(f"LLM answer: {len(uncited)} sentence(s) cite no source, e.g. “{first}”")
    return CitationCheck(cleaned, dropped, uncited, warnings)


class _MarkerFilter:
    """Removes out-of-range markers from a stream, holding back a possible marker until its "]" arrives."""

    def __init__(self, n_sources: int) -> None:
        self.n_sources, self.pending = n_sources, ""

    def _clean(self, text: str) -> str:
        return CITATION.sub(lambda m: _clean_marker(m, self.n_sources, []), text)

    def feed(self, delta: str) -> str:
        text, self.pending = self.pending + delta, ""
        held = _MARKER_PREFIX.search(text)
        if held and len(text) - held.start() <= 40:
            text, self.pending = text[: held.start()], text[held.start() :]
        return self._clean(text)

    def flush(self) -> str:
        text, self.pending = self.pending, ""
        return self._clean(text)


@dataclass
class LLMResult:
    text: str
    answerer: Literal["llm", "extractive"]
    warnings: list[str] = field(default_factory=list)


def _failure(exc: BaseException) -> str:
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return f"LLM synthesis failed ({detail[:200]}): extractive answer shown"


class LLMAnswerer:
    """Answers with the LLM when configured and sources exist; otherwise, or on any failure, with the fallback."""

    def __init__(self, config: LLMConfig, catalog: Catalog | None = None) -> None:
        self.config, self.catalog = config, catalog

    def answer(self, question: str, language: str, sources: list[Source], fallback: Callable[[], str]) -> LLMResult:
        if not (self.config.configured and sources):
            return LLMResult(fallback(), "extractive")
        try:
            text = synthesize(question, language, sources, self.config, self.catalog)
        except Exception as exc:  # any endpoint, network or prompt failure: the extractive answer stands
            log.warning("LLM synthesis failed", exc_info=True)
            return LLMResult(fallback(), "extractive", [_failure(exc)])
        check = check_citations(text, len(sources))
        return LLMResult(check.text, "llm", check.warnings)

    def stream(self, question: str, language: str, sources: list[Source], fallback: Callable[[], str]) -> LLMStream:
        return LLMStream(self, question, language, sources, fallback)


class LLMStream:
    """Iterate for text deltas; afterwards `.result` holds the final LLMResult.

    Deltas come with out-of-range [n] markers already removed, so their concatenation equals `result.text`
    when the LLM succeeds. If the LLM fails before or during the stream, nothing more is read from it: the
    stream yields the fallback text once (after a blank line if LLM text was already shown), and
    `result.text` is the fallback alone with answerer "extractive" — a UI should then replace what it showed.
    """

    def __init__(
        self, answerer: LLMAnswerer, question: str, language: str, sources: list[Source], fallback: Callable[[], str]
    ) -> None:
        self._answerer, self._question, self._language = answerer, question, language
        self._sources, self._fallback = sources, fallback
        self._result: LLMResult | None = None

    @property
    def result(self) -> LLMResult:
        if self._result is None:
            raise RuntimeError("The stream has not finished: iterate it to the end before reading .result.")
        return self._result

    def __iter__(self) -> Iterator[str]:
        config, sources = self._answerer.config, self._sources
        if not (config.configured and sources):
            self._result = LLMResult(self._fallback(), "extractive")
            yield self._result.text
            return
        parts: list[str] = []
        shown = False
        markers = _MarkerFilter(len(sources))
        try:
            deltas = stream_synthesis(self._question, self._language, sources, config, self._answerer.catalog)
            for delta in deltas:
                parts.append(delta)
                out = markers.feed(delta)
                shown = shown or bool(out.strip())
                if out:
                    yield out
            tail = markers.flush()
            if tail:
                yield tail
            if not "".join(parts).strip():
                raise LLMError("the endpoint returned an empty answer")
        except Exception as exc:  # same policy as LLMAnswerer.answer, mid-stream included
            log.warning("LLM streaming failed", exc_info=True)
            self._result = LLMResult(self._fallback(), "extractive", [_failure(exc)])
            yield ("\n\n" if shown else "") + self._result.text
            return
        check = check_citations("".join(parts), len(sources))
        self._result = LLMResult(check.text, "llm", check.warnings)
