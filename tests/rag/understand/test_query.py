"""Query building: language detection, validation (empty, truncated) and the tokens retrieval searches for."""

from __future__ import annotations

import pytest

from rag.config import MAX_QUESTION_CHARS
from rag.corpus.glossary import Entry, Glossary
from rag.text.names import Names
from rag.text.tokenize import Tokenizer
from rag.types import Language, WarningCode
from rag.understand.query import QuestionError, build_query, detect_language, validate_question


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Which bodies propose a tea testing centre?", Language.EN),
        ("哪些團體建議設立茶葉檢測中心？", Language.ZH_HANT),
        ("哪些团体建议设立茶叶检测中心？", Language.ZH_HANS),
        ("茶商會2025年有甚麼建議？", Language.ZH_HANT),
        ("What does TCC say about 茶葉檢測?", Language.EN),  # a few Chinese words in an English sentence
        ("TCC 對茶葉檢測有何建議？", Language.ZH_HANT),
        ("HKRA 的建议", Language.ZH_HANS),
        ("中心", Language.ZH_HANS),  # the same in both scripts: read as Simplified
    ],
)
def test_language_is_detected_from_the_script(text: str, language: Language) -> None:
    assert detect_language(text) is language


@pytest.mark.parametrize("question", [None, "", "   \n\t"])
def test_empty_question_is_an_error_that_shows_an_example(question: str | None) -> None:
    with pytest.raises(QuestionError, match="The question is empty"):
        validate_question(question)


def test_long_question_is_truncated_with_a_warning_code() -> None:
    question, warnings = validate_question("茶" * (MAX_QUESTION_CHARS + 10))
    assert len(question) == MAX_QUESTION_CHARS
    assert [w.code for w in warnings] == [WarningCode.QUESTION_TRUNCATED]
    assert str(MAX_QUESTION_CHARS + 10) in warnings[0].message


def test_question_is_stripped_and_a_short_one_has_no_warning() -> None:
    assert validate_question("  茶葉檢測？ \n") == ("茶葉檢測？", [])


def test_build_query_carries_the_truncation_warning(synthetic_tokenizer, synthetic_glossary) -> None:
    query = build_query("茶葉檢測" * MAX_QUESTION_CHARS, synthetic_tokenizer, synthetic_glossary)
    assert len(query.question) == MAX_QUESTION_CHARS
    assert [w.code for w in query.warnings] == [WarningCode.QUESTION_TRUNCATED]


def test_build_query_refuses_an_empty_question(synthetic_tokenizer, synthetic_glossary) -> None:
    with pytest.raises(QuestionError):
        build_query("  ", synthetic_tokenizer, synthetic_glossary)


def test_traditional_and_simplified_questions_search_the_same_tokens(synthetic_tokenizer, synthetic_glossary) -> None:
    traditional = build_query("茶商會建議設立茶葉檢測中心", synthetic_tokenizer, synthetic_glossary)
    simplified = build_query("茶商会建议设立茶叶检测中心", synthetic_tokenizer, synthetic_glossary)
    assert traditional.tokens == simplified.tokens and traditional.tokens
    assert (traditional.language, simplified.language) == (Language.ZH_HANT, Language.ZH_HANS)


def test_english_question_is_expanded_with_the_glossary_chinese_terms() -> None:
    glossary = Glossary([Entry(("tea testing centre",), ("茶葉檢測中心", "茶葉化驗所"), "concept")])
    tokenizer = Tokenizer(user_terms=["茶葉檢測中心", "茶葉化驗所"])
    query = build_query("Which bodies propose a tea testing centre?", tokenizer, glossary)
    assert query.language is Language.EN
    assert query.expansions == ["茶葉檢測中心", "茶葉化驗所"]
    assert "茶叶检测中心" in query.tokens  # tokens are folded to Simplified
    assert query.rephrased == []  # English questions are expanded, not rephrased


def test_chinese_question_is_rephrased_with_the_other_wording_of_its_term() -> None:
    glossary = Glossary([Entry(("tea testing centre",), ("茶葉檢測中心", "茶葉化驗所"), "concept")])
    tokenizer = Tokenizer(user_terms=["茶葉檢測中心", "茶葉化驗所"])
    query = build_query("哪些團體建議設立茶葉化驗所？", tokenizer, glossary)
    assert query.expansions == ["tea testing centre"]  # the term's English wording, for English passages
    assert any("茶叶检测中心" in tokens for tokens in query.rephrased)


def test_a_chinese_question_reaches_english_wording_but_weighs_only_its_own_words() -> None:
    glossary = Glossary([Entry(("low-altitude economy", "low altitude economy"), ("低空經濟",), "concept")])
    query = build_query("哪些團體建議發展低空經濟？", Tokenizer(user_terms=["低空經濟"]), glossary)
    assert query.expansions == ["low-altitude economy", "low altitude economy"]
    assert query.translated == ["low", "altitud", "economi"]  # a second reading, the wordings' words once each
    assert not {"low", "altitud", "economi"} & (set(query.topic) | set(query.tokens))


def test_english_question_words_are_stemmed_to_meet_the_passages() -> None:
    query = build_query("Which bodies propose arbitration proposals?", Tokenizer(), Glossary([]))
    assert "propos" in query.tokens and "proposals" not in query.tokens


def test_body_names_are_searched_for_but_are_no_topic_words() -> None:
    names = Names(["Meridian Chamber of Commerce in Hong Kong", "Meridian Chamber", "MCCHK", "子午線商會"])
    tokenizer = Tokenizer(user_terms=["子午線商會"])
    english = build_query("What does the Meridian Chamber propose on arbitration?", tokenizer, Glossary([]), names)
    assert {"meridian", "chamber"} <= set(english.tokens)
    assert "meridian" not in english.topic and "chamber" not in english.topic and "arbitr" in english.topic
    chinese = build_query("子午線商會對仲裁有何建議？", tokenizer, Glossary([]), names)
    assert "子午线商会" in chinese.tokens and "子午线商会" not in chinese.topic
