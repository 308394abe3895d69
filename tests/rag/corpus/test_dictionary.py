"""The general dictionary's English for the corpus's words (rag.corpus.dictionary), and how questions use it."""

from __future__ import annotations

from collections import Counter

import pytest

from rag.corpus.dictionary import KIND, corpus_words, derive_entries, english_words, glosses, write_entries
from rag.corpus.glossary import Entry, Glossary
from rag.text.tokenize import Tokenizer
from rag.understand.query import build_query


@pytest.mark.parametrize(("definitions", "expected"), [
    (["coffee (loanword)", "CL:杯[bei1]"], ["coffee"]),
    (["development", "growth", "to develop", "to grow"], ["development", "growth", "develop"]),  # main senses only
    (["variant of 咖啡[ka1 fei1]"], []),
    (["surname Wang"], []),
    (["a body of water that is very deep and wide and long"], []),  # an explanation, not a gloss
])
def test_glosses_are_a_words_main_senses_as_plain_english(definitions: list[str], expected: list[str]) -> None:
    assert glosses(definitions) == expected


def test_a_corpus_word_gets_its_english_and_an_english_word_its_chinese() -> None:
    entries = derive_entries(Counter({"咖啡": 3, "仲裁": 1}), english=["arbitration", "tribunal"], stopwords=["the"])
    by_gloss = {e.english[0]: e for e in entries}
    assert by_gloss["coffee"].chinese == ("咖啡",) and by_gloss["coffee"].kind == KIND
    assert "仲裁" in by_gloss["arbitration"].chinese
    assert by_gloss["tribunal"].chinese  # found from the English side alone: no Chinese passage has it


def test_english_words_find_the_same_chinese_as_reading_every_dictionary_entry() -> None:
    """derive_entries skips entries whose senses hold none of the English words; the skip must lose nothing."""
    from rag.corpus.dictionary import MAX_WORDS_PER_GLOSS, SENSES, _cedict
    from rag.text.tokenize import fold

    english = ["arbitration", "tribunal", "logistics", "tourism", "coffee", "semiconductor", "exhibition", "hub"]
    expected: dict[str, list[tuple[int, str]]] = {}
    for entry in _cedict().get_entries():  # every entry read in full
        word = fold(entry["simplified"])
        for rank, gloss in enumerate(glosses(entry["definitions"][:SENSES])):
            if gloss in english and len(word) >= 2 and all("\u3400" <= ch <= "\u9fff" for ch in word):
                expected.setdefault(gloss, []).append((rank, word))
    found = {e.english[0]: e.chinese for e in derive_entries(Counter(), english=english)}  # no word frequencies
    assert found == {gloss: tuple(dict.fromkeys(word for _, word in sorted(pairs)))[:MAX_WORDS_PER_GLOSS]
                     for gloss, pairs in expected.items()}


def test_an_english_word_also_finds_the_chinese_words_beyond_the_corpus_s_own() -> None:
    # 床位 (a corpus word) glosses "berth"; the question may say 泊位, whose main sense is "berth" too
    entries = derive_entries(Counter({"床位": 2}), english=["berth"])
    chinese = next(e.chinese for e in entries if e.english[0] == "berth")
    assert chinese[0] == "床位" and "泊位" in chinese  # the corpus's own word first


def test_a_gloss_written_apart_gets_the_english_text_s_closed_compound() -> None:
    entries = derive_entries(Counter({"母港": 1}), english=["homeport", "cruise"])
    assert next(e for e in entries if "母港" in e.chinese).english == ("home port", "homeport")
    # and from the English side alone: no Chinese passage says 母港
    assert any("母港" in e.chinese and "homeport" in e.english for e in derive_entries(Counter(), english=["homeport"]))


def test_stopword_glosses_are_left_out() -> None:
    assert not [e for e in derive_entries(Counter({"咖啡": 1}), stopwords=["coffee"]) if e.english == ("coffee",)]


def test_entries_round_trip_through_a_glossary_file(tmp_path) -> None:
    entries = [Entry(("coffee",), ("咖啡",), KIND), Entry(("arbitration",), ("仲裁", "公断"), KIND)]
    (tmp_path / "dictionary.tsv").write_text(write_entries(entries), encoding="utf-8")
    assert Glossary.load(tmp_path / "dictionary.tsv").entries == entries


def test_word_counts_read_chinese_tokens_and_english_words_as_written() -> None:
    assert corpus_words([["咖啡", "coffe", "咖"], ["咖啡"]]) == Counter({"咖啡": 2})
    assert english_words(["Arbitration and arbitrations, HK$3"]) == Counter({"arbitration": 1, "and": 1,
                                                                            "arbitrations": 1})


def test_curated_entries_win_over_the_dictionarys() -> None:
    curated = Glossary([Entry(("trade",), ("貿易",), "concept")])
    glossary = curated.extended(Glossary([Entry(("trade",), ("买卖",), KIND)]))
    assert glossary.expand("Which bodies discuss trade?") == ["貿易"]


def test_an_english_question_searches_dictionary_wordings_loosely_and_a_chinese_one_reads_them_in_english() -> None:
    glossary = Glossary([Entry(("coffee",), ("咖啡",), KIND), Entry(("arbitration",), ("仲裁",), KIND)])
    tokenizer = Tokenizer(stopwords=["a"])
    english = build_query("Which bodies propose a coffee hub?", tokenizer, glossary)
    assert "咖啡" in english.loose and "咖啡" not in english.tokens
    chinese = build_query("哪些團體建議推動仲裁？", tokenizer, glossary)
    assert "arbitr" in chinese.translated


def test_a_british_spelling_in_the_corpus_finds_the_dictionary_s_american_gloss() -> None:
    # CC-CEDICT writes "license" (牌照); a Hong Kong paper writes "licence"
    entries = derive_entries(Counter(), english=["licence"])
    assert any("牌照" in e.chinese for e in entries if e.english[0] == "license")


def test_a_gloss_in_the_plural_is_asked_about_in_the_singular() -> None:
    # 魚類 glosses "fishes"; a question says "fish"
    glossary = Glossary(derive_entries(Counter({"魚類": 2})))
    assert [entry.chinese for _, entry in glossary.matches("an offshore fish farm")] == [("魚類",)]
    assert glossary.matches("a licence for fishes")  # the plural as glossed
