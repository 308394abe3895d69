"""Quote choice: the sentence sharing most of the question, verbatim, proposals first where asked."""

from __future__ import annotations

from rag.answer.quotes import best_quote, is_verbatim, one_line
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


PASSAGE = ("日本於2016年設立茶葉研究所，茶葉出口十年間增長一倍。\n"
           "本會建議政府設立茶葉研究所，支援本地茶葉研發。\n"
           "資料來源：茶商會研究部整理")


def quote_of(text: str, question: str, lexicon, **options) -> str:
    tokenizer = Tokenizer(user_terms=["茶葉研究所"])
    found = best_quote(text, tokenizer.tokenize(question), tokenizer, roles=SentenceRoles(lexicon), **options)
    assert found is not None and is_verbatim(found.text, text)
    return found.text


def test_background_about_another_place_is_not_quoted_unless_asked_about(lexicon) -> None:
    assert quote_of(PASSAGE, "茶葉研究所", lexicon).startswith("本會建議政府設立茶葉研究所")
    assert quote_of(PASSAGE, "日本的茶葉研究所出口增長多少", lexicon).startswith("日本於2016年")


def test_a_source_line_is_quoted_only_when_the_passage_has_nothing_else(lexicon) -> None:
    assert not quote_of(PASSAGE, "茶商會研究部", lexicon).startswith("資料來源")
    assert quote_of("資料來源：茶商會研究部整理", "茶商會研究部", lexicon).startswith("資料來源")  # a quote is owed


def test_a_lead_in_is_quoted_with_what_it_introduces_or_not_at_all(lexicon) -> None:
    text = "茶葉是本港傳統行業。\n為推動茶葉出口，本會提出以下建議：\n一是設立茶葉研究所。"
    assert quote_of(text, "茶葉出口建議", lexicon, proposals_first=True) == (
        "為推動茶葉出口，本會提出以下建議：\n一是設立茶葉研究所。")
    long_item = "一是" + "，".join(["設立茶葉研究所支援本地茶葉出口"] * 25) + "。"
    text = f"茶葉是本港傳統行業。\n為推動茶葉出口，本會提出以下建議：\n{long_item}"
    assert not quote_of(text, "茶葉出口建議", lexicon).endswith("：")  # too long together: not the lead-in alone


def test_a_sentence_stating_the_topic_comes_before_a_generic_lead_in(lexicon) -> None:
    text = "茶商會提出五大重點倡議及三大建議範疇，懇請政府積極考慮。\n推廣茶文化旅遊，讓傳統行業受惠。"
    tokenizer = Tokenizer(user_terms=["茶文化旅遊"])
    topic = {"茶文化旅遊": 5.0}
    found = best_quote(text, tokenizer.tokenize("茶商會對茶文化旅遊有甚麼建議"), tokenizer,
                       roles=SentenceRoles(lexicon), proposals_first=True, topic=topic)
    assert found is not None and found.text.startswith("推廣茶文化旅遊")


def test_a_reported_suggestion_is_read_as_such(lexicon) -> None:
    text = "全國政協副主席陳大文建議香港設立茶葉交易所。"
    found = best_quote(text, ["茶叶"], Tokenizer(), roles=SentenceRoles(lexicon))
    assert found is not None and found.reading.who == "全國政協副主席陳大文" and found.reading.suggestion


def test_a_sentence_broken_across_lines_is_quoted_whole(lexicon) -> None:
    cell = "香港的幾間大學及公營研究機構在茶\n葉研究方面的成果屢獲國際獎項和權\n威專家的認同。\n資料來源：茶商會研究部整理"
    assert quote_of(cell, "大學茶葉研究", lexicon) == cell[:cell.index("\n資料")]
    assert one_line(cell[:cell.index("\n資料")]) == "香港的幾間大學及公營研究機構在茶葉研究方面的成果屢獲國際獎項和權威專家的認同。"
    assert one_line("We propose:\nA fund.") == "We propose: A fund."


def test_prepared_passages_are_quoted_without_reading_them_again(lexicon) -> None:
    from rag.answer.quotes import _sentence_tokens, prepare

    tokenizer = Tokenizer(user_terms=["茶葉研究所"])
    roles = SentenceRoles(lexicon)
    passage = PASSAGE + "\n本會亦建議推廣茶文化旅遊。"
    prepare([(passage, "")], tokenizer, roles)
    before = _sentence_tokens.cache_info().misses
    found = best_quote(passage, tokenizer.tokenize("茶葉研究所"), tokenizer, roles=roles)
    assert found is not None and found.text.startswith("本會建議政府設立茶葉研究所")
    assert _sentence_tokens.cache_info().misses == before  # every candidate was read by prepare


def test_a_sentence_the_source_breaks_with_a_page_footer_is_quoted_up_to_the_break(lexicon) -> None:
    from rag.answer.quotes import shown

    source = "本會建議政府與工業大廈業主合作，把部分空置工廈樓層改建為茶業創業空間，\n- 3 -\n首兩年租金由政府資助一半。"
    passage = "本會建議政府與工業大廈業主合作，把部分空置工廈樓層改建為茶業創業空間，首兩年租金由政府資助一半。"
    tokenizer = Tokenizer(user_terms=["茶業"])
    found = best_quote(passage, tokenizer.tokenize("茶業創業空間"), tokenizer, verify=lambda q: is_verbatim(q, source),
                       roles=SentenceRoles(lexicon))
    assert found is not None and found.text == "本會建議政府與工業大廈業主合作，把部分空置工廈樓層改建為茶業創業空間，"
    assert shown(found.text).endswith("，…")
