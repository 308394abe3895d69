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
from rag.text.tokenize import Tokenizer, to_simplified, to_traditional
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
    # the language the question's words are read in when it is not the answer's: a follow-up read through the previous
    # question in another language ("What about FHKI?" after a Chinese question); None: `language`
    reading: Language | None = None

    @property
    def topic(self) -> list[str]:
        return self.tokens if self.topic_tokens is None else self.topic_tokens

    @property
    def read_language(self) -> Language:
        """The language the question's words are matched as (`language` is the answer's)."""
        return self.language if self.reading is None else self.reading


def detect_language(text: str, chinese: Language | None = None) -> Language:
    """en when the text has no Chinese (or little, among much English); else zh-Hant when converting to Simplified
    changes it, zh-Hans when converting to Traditional does, and `chinese` (default zh-Hans) when its characters
    are the same in both scripts (「那BPA呢？」)."""
    cjk = _CJK.findall(text)
    if not cjk or len(cjk) * 2 < len(_LATIN.findall(text)) // 2:
        return Language.EN
    chars = "".join(cjk)
    if to_simplified(chars) != chars:
        return Language.ZH_HANT
    if chinese is None or to_traditional(chars) != chars:
        return Language.ZH_HANS
    return chinese


# What a question of no word that names anything (only punctuation, emoji, question words) is answered.
NOTHING_ASKED = {
    Language.EN: ("The question has no word to look for: only punctuation, symbols or question words. Ask about a "
                  "topic, e.g. “Which bodies propose a food industrial park?”"),
    Language.ZH_HANT: ("問題中沒有可以查找的字詞，只有標點、符號或提問用語。"
                       "請寫出想查詢的議題，例如「哪些團體建議設立食品產業園？」"),
    Language.ZH_HANS: ("问题中没有可以查找的字词，只有标点、符号或提问用语。"
                       "请写出想查询的议题，例如「哪些团体建议设立食品产业园？」"),
}

NOTHING_ASKED_WARNING = Notice(WarningCode.NOTHING_ASKED, NOTHING_ASKED[Language.EN])  # warnings are in English


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
                unsearched: Collection[str] = (), untranslated: Collection[str] = ()) -> Query:
    """The question's tokens, expanded through the glossary both ways: an English question with the Chinese
    wordings of its phrases, a Chinese one with the English wordings of its terms. `names` (the bodies') are
    searched for but never weighed as topic words; `unsearched` tokens (English framing: stemmed, "proposed"
    meets every passage that proposes anything) are not searched for unless the question has nothing else;
    `untranslated` Chinese tokens (framing: 團體, 建議) are not read in English by the general dictionary."""
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
        words = [t for t in tokenizer.tokenize(topic_text) if not t.isascii() and t not in untranslated]
        english += [w for w in glossary.loose_english(words) if w not in english and w not in expansions]
        expansions += english
        translated = list(dict.fromkeys(t for wording in english for t in tokenizer.tokenize(wording)))
    rephrased = ([tokenizer.tokenize(text) for text in glossary.rephrasings(topic_text)]
                 if language != Language.EN else [])
    return Query(question, language, tokens, expansions, warnings, rephrased, topic, translated, loose)
