"""Question handling: validation, language detection, and the tokens retrieval searches for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.config import MAX_QUESTION_CHARS
from rag.corpus.glossary import Glossary
from rag.text.normalize import clean_input
from rag.text.tokenize import ChineseTokenizer, to_simplified
from rag.types import Language, Notice, WarningCode

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


class QuestionError(ValueError):
    """The question cannot be asked as it is; the message says why."""


@dataclass(frozen=True)
class Query:
    question: str  # as asked (possibly truncated)
    language: Language
    tokens: list[str]
    expansions: list[str]  # Chinese glossary terms added for an English question
    warnings: list[Notice]
    rephrased: list[list[str]] = field(default_factory=list)  # tokens of the question with glossary synonyms


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


def build_query(question: str | None, tokenizer: ChineseTokenizer, glossary: Glossary) -> Query:
    question, warnings = validate_question(question)
    language = detect_language(question)
    expansions = glossary.expand(question) if language == Language.EN or _LATIN.search(question) else []
    tokens = tokenizer.tokenize(question)
    for term in expansions:
        tokens.extend(tokenizer.tokenize(term))
    rephrased = [tokenizer.tokenize(text) for text in glossary.rephrasings(question)] if language != Language.EN else []
    return Query(question, language, tokens, expansions, warnings, rephrased)
