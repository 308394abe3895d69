from __future__ import annotations

from pathlib import Path

import pytest

from rag.text.tokenize import Tokenizer, american, to_simplified


@pytest.mark.corpus
def test_traditional_and_simplified_give_the_same_tokens(corpus_dir: Path) -> None:
    tokenizer = Tokenizer.from_corpus(corpus_dir)
    assert tokenizer.tokenize("經民聯對低空經濟有甚麼建議？") == tokenizer.tokenize("经民联对低空经济有甚么建议？")


@pytest.mark.corpus
def test_domain_terms_stay_whole_and_offsets_point_into_the_original(corpus_dir: Path) -> None:
    tokenizer = Tokenizer.from_corpus(corpus_dir)
    text = "在北部都會區建立「香港食品產業園」"
    tokens = tokenizer.tokens(text)
    assert "北部都会区" in [t.text for t in tokens]
    for token in tokens:
        assert to_simplified(text[token.start : token.end]).lower() == token.text


def test_stopwords_and_punctuation_are_dropped() -> None:
    tokenizer = Tokenizer(stopwords=["的", "哪些"])
    assert tokenizer.tokenize("哪些的，。！") == []


def test_conversion_keeps_length() -> None:
    text = "香港工業總會（工總）的乾燥劑與電腦"
    assert len(to_simplified(text)) == len(text)


def test_english_words_are_stemmed_so_inflections_meet() -> None:
    tokenizer = Tokenizer()
    assert tokenizer.tokenize("proposals") == tokenizer.tokenize("proposed") == tokenizer.tokenize("Proposes")
    assert tokenizer.tokenize("industrial") == tokenizer.tokenize("industry")


def test_british_and_american_spellings_meet() -> None:
    tokenizer = Tokenizer()
    for british, us in [("licence", "license"), ("neighbourhoods", "neighborhoods"), ("centre", "center"),
                        ("industrialisation", "industrialization"), ("programme", "program")]:
        assert tokenizer.tokenize(british) == tokenizer.tokenize(us), british
    assert tokenizer.tokenize("harbourfront") == ["harbourfront"]  # a word the table lacks stays as written
    assert american("buses") == "buses" and american("gases") == "gases"  # not the table's "busses", "gasses"


def test_a_plural_matches_its_singular_where_the_stemmer_alone_would_not() -> None:
    tokenizer = Tokenizer()
    for plural, one in [("buses", "bus"), ("gases", "gas"), ("fishes", "fish"), ("policies", "policy")]:
        assert tokenizer.tokenize(plural) == tokenizer.tokenize(one), plural
    assert tokenizer.tokenize("news") == ["news"]  # a noun of its own, not the plural of "new"


def test_a_comparative_or_superlative_matches_its_adjective_and_other_words_stay() -> None:
    tokenizer = Tokenizer()
    assert tokenizer.english("Greener Buildings") == tokenizer.english("green building")
    for comparative, adjective in [("older", "old"), ("larger", "large"), ("earliest", "early"), ("cheaper", "cheap")]:
        assert tokenizer.tokenize(comparative) == tokenizer.tokenize(adjective), comparative
    # a word with a reading of its own is not a comparative: lower (the verb), number, better (the verb), water
    for word in ("lower", "number", "better", "water", "member", "paper"):
        assert tokenizer.tokenize(word) == [tokenizer.stem(word)] != [], word
        assert tokenizer.stem(word) == Tokenizer()._stemmer.stemWord(word), word


def test_english_stopwords_are_dropped_and_chinese_runs_still_go_to_the_segmenter() -> None:
    tokenizer = Tokenizer(user_terms=["低空經濟"], stopwords=["the", "of", "的"])
    assert tokenizer.tokenize("The growth of the 低空經濟的 industry") == ["growth", "低空", "经济", "低空经济", "industri"]


def test_english_token_offsets_point_at_the_word_as_written() -> None:
    text = "We proposed 低空經濟 development"
    tokens = Tokenizer(user_terms=["低空經濟"]).tokens(text)
    assert [(t.text, text[t.start:t.end]) for t in tokens if t.text.isascii()] == [
        ("we", "We"), ("propos", "proposed"), ("develop", "development")]


def test_a_short_user_term_is_not_found_inside_an_english_word() -> None:
    assert "ai" not in Tokenizer(user_terms=["AI"]).tokenize("He said the chair was paid.")


def test_english_gives_space_framed_stems_for_phrase_matching() -> None:
    tokenizer = Tokenizer(stopwords=["and"])
    assert tokenizer.english("Belt-and-Road Industries") == " belt road industri "
    assert f" {tokenizer.english('food industrial park').strip()} " in tokenizer.english("a food industry park")


def test_the_signature_changes_with_the_stopwords() -> None:
    assert Tokenizer(stopwords=["the"]).signature() != Tokenizer().signature()


def test_words_are_tagged_as_jiebas_own_tagger_tags_them() -> None:
    """The tagger shares the word tags jieba.posseg read at import instead of reading its dictionary again."""
    import jieba.posseg

    tokenizer = Tokenizer(user_terms=["食品產業園", "低空經濟"])
    text = "建議在北部都會區設立食品產業園，並推動低空經濟和人工智能發展。Which bodies propose it?"
    tokenizer.words(text)  # builds the tagger
    reference = jieba.posseg.POSTokenizer(tokenizer._jieba)  # reads the dictionary's tags from the file
    assert tokenizer._tagger.word_tag_tab == reference.word_tag_tab
    assert [(p.word, p.flag) for p in tokenizer._tagger.cut(text)] == [(p.word, p.flag) for p in reference.cut(text)]
    assert tokenizer._tagger.word_tag_tab is not jieba.posseg.dt.word_tag_tab  # a copy: user words stay ours


def test_short_texts_are_cached_and_give_the_same_tokens_as_long_ones() -> None:
    from rag.text.tokenize import SHORT_TEXT

    tokenizer = Tokenizer(user_terms=["食品產業園"])
    short = "建議設立食品產業園 and food parks"
    padded = short + "。" * (SHORT_TEXT + 1 - len(short))  # the same words, past the cached length
    assert len(padded) > SHORT_TEXT >= len(short)
    first, again = tokenizer.tokens(short), tokenizer.tokens(short)
    assert first == again == tokenizer.tokens(padded)
    assert first is not again  # callers get their own list: changing it cannot change the cache
    first.clear()
    assert tokenizer.tokens(short) == again
