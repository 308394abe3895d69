"""Question handling: validation, language detection, and the tokens retrieval searches for."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from rag.config import MAX_QUESTION_CHARS
from rag.corpus.dictionary import KIND as DICTIONARY_KIND
from rag.corpus.glossary import Glossary
from rag.text.names import Names
from rag.text.normalize import clean_input
from rag.text.tokenize import Tokenizer, to_simplified
from rag.types import Language, Notice, WarningCode

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


class QuestionError(ValueError):
    """The question cannot be asked as it is; the message says why."""


@dataclass(frozen=True)
class Query:
    question: str  # as asked (possibly truncated)
    language: Language
    tokens: list[str]  # what retrieval searches for: the question's tokens (an English one's with Chinese wordings)
    expansions: list[str]  # glossary wordings in the other language (Chinese for English words, and back)
    warnings: list[Notice]
    # tokens of the question with glossary synonyms, body names left out (they search within one body)
    rephrased: list[list[str]] = field(default_factory=list)
    # the tokens whose coverage is weighed: body names left out, and a Chinese question's English expansions
    # (another wording of its own words, not more topic); None: the same as `tokens`
    topic_tokens: list[str] | None = None
    # a Chinese question's terms in their glossary English wordings: searched as a second reading of the question,
    # a passage scoring by the better of the two (a bilingual passage is not counted twice)
    translated: list[str] = field(default_factory=list)
    # an English question's words in Chinese by the general dictionary only (rag.corpus.dictionary): looser than
    # the glossary's, so searched at a lower weight (Settings.dictionary_search_weight)
    loose: list[str] = field(default_factory=list)

    @property
    def topic(self) -> list[str]:
        return self.tokens if self.topic_tokens is None else self.topic_tokens


def detect_language(text: str) -> Language:
    """en when the text has no Chinese; zh-Hans when converting to Simplified changes nothing but is Chinese."""
    cjk = _CJK.findall(text)
    if not cjk or len(cjk) * 2 < len(_LATIN.findall(text)) // 2:
        return Language.EN
    chars = "".join(cjk)
    return Language.ZH_HANT if to_simplified(chars) != chars else Language.ZH_HANS


def validate_question(question: str | None) -> tuple[str, list[Notice]]:
    """The question to ask and any warnings; empty questions are an error, long ones are truncated."""
    question = clean_input(question).strip() if isinstance(question, str) else ""
    if not question:
        raise QuestionError(
            'The question is empty: type a question, e.g. "Which bodies propose a food industrial park?"'
        )
    warnings = []
    if len(question) > MAX_QUESTION_CHARS:
        warnings.append(Notice(
            WarningCode.QUESTION_TRUNCATED,
            f"The question was {len(question)} characters long; only its first {MAX_QUESTION_CHARS} were used.",
        ))
        question = question[:MAX_QUESTION_CHARS]
    return question, warnings


def build_query(question: str | None, tokenizer: Tokenizer, glossary: Glossary, names: Names | None = None,
                unsearched: Collection[str] = ()) -> Query:
    """The question's tokens, expanded through the glossary both ways: an English question with the Chinese
    wordings of its phrases, a Chinese one with the English wordings of its terms. `names` (the bodies') are
    searched for but never weighed as topic words; `unsearched` tokens (English framing: stemmed, "proposed"
    meets every passage that proposes anything) are not searched for unless the question has nothing else."""
    question, warnings = validate_question(question)
    language = detect_language(question)
    topic_text = names.blank(question) if names is not None else question
    english_words = language == Language.EN or _LATIN.search(question) is not None
    expansions = glossary.expand(question) if english_words else []
    loose_terms = set(glossary.expand(question, kinds={DICTIONARY_KIND})) if english_words else set()
    tokens = tokenizer.tokenize(question)
    tokens = [t for t in tokens if t not in unsearched] or tokens
    loose: list[str] = []
    for term in expansions:
        (loose if term in loose_terms else tokens).extend(tokenizer.tokenize(term))
    topic = tokenizer.tokenize(topic_text)
    for _, entry in glossary.matches(topic_text) if english_words else ():
        if entry.kind != "body":
            for term in dict.fromkeys(entry.chinese):
                topic.extend(tokenizer.tokenize(term))
    translated: list[str] = []
    if language != Language.EN:
        english = [w for w in glossary.expand_english(topic_text) if w not in expansions]
        # and the general dictionary's English for its other words (仲裁 → arbitration): a looser second reading
        words = [t for t in tokenizer.tokenize(topic_text) if not t.isascii()]
        english += [w for w in glossary.loose_english(words) if w not in english and w not in expansions]
        expansions += english
        translated = list(dict.fromkeys(t for wording in english for t in tokenizer.tokenize(wording)))
    rephrased = ([tokenizer.tokenize(text) for text in glossary.rephrasings(topic_text)]
                 if language != Language.EN else [])
    return Query(question, language, tokens, expansions, warnings, rephrased, topic, translated, loose)
