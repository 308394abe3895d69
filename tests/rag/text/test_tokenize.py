from __future__ import annotations

from pathlib import Path

import pytest

from rag.text.tokenize import ChineseTokenizer, to_simplified


@pytest.mark.corpus
def test_traditional_and_simplified_give_the_same_tokens(corpus_dir: Path) -> None:
    tokenizer = ChineseTokenizer.from_corpus(corpus_dir)
    assert tokenizer.tokenize("經民聯對低空經濟有甚麼建議？") == tokenizer.tokenize("经民联对低空经济有甚么建议？")


@pytest.mark.corpus
def test_domain_terms_stay_whole_and_offsets_point_into_the_original(corpus_dir: Path) -> None:
    tokenizer = ChineseTokenizer.from_corpus(corpus_dir)
    text = "在北部都會區建立「香港食品產業園」"
    tokens = tokenizer.tokens(text)
    assert "北部都会区" in [t.text for t in tokens]
    for token in tokens:
        assert to_simplified(text[token.start : token.end]).lower() == token.text


def test_stopwords_and_punctuation_are_dropped() -> None:
    tokenizer = ChineseTokenizer(stopwords=["的", "哪些"])
    assert tokenizer.tokenize("哪些的，。！") == []


def test_conversion_keeps_length() -> None:
    text = "香港工業總會（工總）的乾燥劑與電腦"
    assert len(to_simplified(text)) == len(text)
