"""Quote choice: the sentence sharing most of the question, verbatim, proposals first where asked."""

from __future__ import annotations

from rag.answer.quotes import best_quote, is_verbatim
from rag.answer.roles import SentenceRoles
from rag.text.sentences import split_sentences as sentences
from rag.text.tokenize import Tokenizer

TEXT = ("韓國政府於 2016 年設立食品產業園，推動食品工業轉型。本會建議香港設立食品產業園，支援本地食品生產。\n"
        "為此，本會提出以下的建議：\n研究設立食品產業園。")


def test_sentences_index_into_the_text() -> None:
    assert all(TEXT[offset:offset + len(s)] == s for offset, s in sentences(TEXT))


def test_best_quote_is_the_first_sentence_sharing_most_tokens() -> None:
    tokenizer = Tokenizer(user_terms=["食品產業園"])
    tokens = tokenizer.tokenize("哪些團體設立食品產業園？")
    offset, quote, _ = best_quote(TEXT, tokens, tokenizer)
    assert quote.startswith("韓國政府") and TEXT[offset:].startswith(quote)  # with no roles read, overlap decides


def test_proposals_first_prefers_a_proposing_sentence_but_not_a_lead_in_alone(lexicon) -> None:
    tokenizer = Tokenizer(user_terms=["食品產業園"])
    tokens = tokenizer.tokenize("哪些團體設立食品產業園？")
    roles = SentenceRoles(lexicon)
    _, quote, _ = best_quote(TEXT, tokens, tokenizer, roles=roles, proposals_first=True)
    assert quote.startswith("本會建議香港設立食品產業園")
    tour = "工業旅遊是一種產業形態。\n推動工業旅遊，本會提出以下建議："
    _, quote, _ = best_quote(tour, tokenizer.tokenize("工業旅遊"), tokenizer, roles=roles, proposals_first=True)
    assert quote.startswith("工業旅遊是一種產業形態")  # a lead-in with nothing after it is no quote


def test_a_quote_failing_the_check_gives_way_to_the_next() -> None:
    tokenizer = Tokenizer(user_terms=["食品產業園"])
    tokens = tokenizer.tokenize("設立食品產業園")
    _, quote, _ = best_quote(TEXT, tokens, tokenizer, verify=lambda q: "韓國" not in q)
    assert "韓國" not in quote and is_verbatim(quote, TEXT)


def test_a_long_sentence_is_cut_at_a_clause_and_marked() -> None:
    from rag.answer.quotes import QUOTE_MAX_CHARS, capped, shown

    long_zh = "本會建議" + "，".join(["政府設立專項基金支援本地中小企業轉型升級"] * 30) + "。"
    cut = capped(long_zh)
    assert len(cut) <= QUOTE_MAX_CHARS and long_zh.startswith(cut) and cut.endswith("，")
    assert shown(cut) == cut + "…"
    long_en = "We propose " + " and ".join(["a fund for small firms that adopt automation"] * 20) + "."
    cut = capped(long_en)
    assert long_en.startswith(cut) and not cut.endswith(" ") and len(cut) <= QUOTE_MAX_CHARS
    assert shown(cut).endswith("…")
    assert shown("本會建議設立基金。") == "本會建議設立基金。"
    assert capped("Short sentence.") == "Short sentence."
