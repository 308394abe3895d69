"""Concept coverage: what a question's concepts are, and which passages state them together."""

from __future__ import annotations

import pytest

from rag.answer.concepts import Asked, ConceptCoverage
from rag.config import JudgeSettings
from rag.corpus.glossary import Entry, Glossary, inflections
from rag.text.numbers import states_quantity
from rag.text.tokenize import Tokenizer
from rag.types import Chunk, Part

TEXTS = [
    "本會建議大力發展工業旅遊，鼓勵廠商開放生產線。旅遊界可開發相關產品。",  # states the topic in one place
    "我們要大力發展數字經濟。另一方面，工業升級刻不容緩。此外，旅客人數回升。再者，零售業復蘇。還有，物流業轉型。",
    "建議設立食品工業園，支援本地食品生產。",  # the glossary's other wording of 食品產業園
    "低空經濟有助為城市創造更多的就業機會。",
    "數據中心樓面面積預計增加 30%。",
    "工業總會在 2021 年啟用無人機中心，推動工業 4.0。",
]


def chunk(i: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"d#{i}", doc_id="d", body="CMA", year=2024, title="t", section=str(i),
                 heading="", path=(), text=text)


@pytest.fixture(scope="module")
def coverage(lexicon) -> ConceptCoverage:
    glossary = Glossary([Entry(("food industrial park",), ("食品產業園", "食品工業園"), "concept"),
                         Entry(("low-altitude economy",), ("低空經濟",), "concept"),
                         Entry(("jobs",), ("就業機會",), "concept")])
    tokenizer = Tokenizer(user_terms=["工業旅遊", "食品產業園", "食品工業園", "低空經濟", "打造"],
                                 stopwords=["的", "了", "the", "a"])
    chunks = [chunk(i, t) for i, t in enumerate(TEXTS)]
    return ConceptCoverage(chunks, tokenizer, glossary, lexicon, ["廠商會", "工總"], JudgeSettings(window_sentences=2))


def labels(concepts) -> list[str]:
    return [c.label for c in concepts]


def test_framing_and_body_names_are_no_concepts(coverage) -> None:
    found = labels(coverage.concepts("邊個團體主張積極發展工業旅遊？"))
    assert found == ["工业旅游"]
    assert "厂商会" not in labels(coverage.concepts("廠商會對工業旅遊有何建議？"))


def test_glossary_wordings_are_one_concept(coverage) -> None:
    [concept] = [c for c in coverage.concepts("哪些團體建議設立食品產業園？") if c.label == "食品产业园"]
    assert set(concept.forms) == {"食品产业园", "食品工业园", "food industri park"}  # English as stems
    assert coverage.of([concept], 2) == 1.0


def test_english_question_concepts_come_from_glossary_phrases(coverage) -> None:
    concepts = coverage.concepts("Which bodies propose a food industrial park?")
    assert labels(concepts) == ["food industrial park"] and coverage.of(concepts, 2) == 1.0


def test_concepts_must_be_stated_together_not_across_a_passage(coverage) -> None:
    concepts = coverage.concepts("哪些團體建議發展工業旅遊？")
    assert coverage.of(concepts, 0) == 1.0
    # 工業 and 旅客 sit sentences apart in passage 1: at most partial credit for the compound's parts
    assert coverage.of(concepts, 1) <= 0.5


def test_unknown_words_count_only_when_asked_to(coverage) -> None:
    question = "哪些團體建議發展工業旅遊和郵輪碼頭？"
    kept = coverage.concepts(question, drop_unknown=False)
    assert coverage.of(kept, 0) < coverage.of(coverage.concepts(question), 0) == 1.0


def test_window_must_be_at_least_one_sentence() -> None:
    with pytest.raises(ValueError, match="window_sentences must be at least 1"):
        JudgeSettings(window_sentences=0)


@pytest.mark.parametrize("question, expected", [
    ("How many jobs does BPA estimate the low-altitude economy would create?", True),
    ("厂商会建议将法定最低工资调整到多少？", True),
    ("新田科技城預計能提供多大面積的創科發展用地？", True),
    ("兩者建議的津貼金額有何不同？", True),  # the amount asked for, as "what amount" is in English
    ("Which bodies propose a food industrial park?", False),
    ("經民聯對低空經濟有甚麼建議？", False),
    ("What licence fee would fish farmers pay in the new zones?", True),  # "what <thing> fee would …"
    ("What guarantee rate does the chamber want?", True),
    ("What toll concessions does the chamber want?", False),  # toll names the kind of concession asked about
    ("What fees does the chamber want waived?", False),  # which fees, not how much
    ("When does the council want the scheme to start?", True),  # a time is asked for
    ("打算幾時開業？", True),
    ("Which bodies want paid breaks when heat stress is high?", False),
    ("What upper age limit does the chamber want for the fund?", True),
    ("申請人有冇年齡限制？", True),  # an age limit, if any, is an age: a passage stating none does not answer
])
def test_asks_quantity(coverage, question: str, expected: bool) -> None:
    assert coverage.asks_quantity(question) is expected


@pytest.mark.parametrize("question, kinds", [
    # a fee, a price, a rent or a wage is a sum of money, or a share of another (70 per cent of market rent)
    ("許可證的申請費定為多少？", {"money", "share"}),
    ("生態旅舍每晚房價上限是多少？", {"money", "share"}),
    ("政府負擔多少工資？", {"money", "share"}),
    ("擔保費率是多少？", {"money", "share"}),  # … and a rate a share (費率 is both: either will do)
    ("What licence fee would fish farmers pay?", {"money", "share"}),
    ("What price per unit would boat owners pay?", {"money", "share"}),
    ("Where should talent flats be built, and at what rent?", {"money", "share"}),
    ("How much money will the fund need?", {"money"}),  # a sum that is no payment is not set as a share
    ("What guarantee rate does the chamber want?", {"share"}),
    ("每個項目資助多少？", {"money"}),
    ("多少人參加？", {"people"}),
    ("When does the council want the scheme to start?", {"time"}),  # when: a time, not a quantity
    ("Where should the market be built, and when should it open?", {"time"}),
    ("新上限應於何時生效？", {"time"}),
    ("建議從哪一年開始實施？", {"time"}),
    ("Which bodies want paid breaks when heat stress is high?", set()),  # "when" as a conjunction asks nothing
    ("What is the heaviest load the drones would carry?", {"weight"}),  # a weight, not any figure of the routes
    ("無人機可以載幾重嘅貨？", {"weight"}),
    ("What upper age limit does the chamber want for the fund?", {"age"}),  # an age, not the fund's cap in dollars
    ("How old must applicants be?", {"age"}),
    ("申請人有冇年齡限制？", {"age"}),
])
def test_asked_kinds(coverage, question: str, kinds: set[str]) -> None:
    assert coverage.asked_kinds(question) == kinds


def test_a_rent_set_as_a_share_of_market_rent_answers_at_what_rent(coverage) -> None:
    kinds = coverage.asked_kinds("人才公寓以甚麼租金出租？")
    assert states_quantity("人才公寓按市值租金的百分之七十出租，租期最長三年。", kinds)
    assert states_quantity("flats let at 70% of market rent", coverage.asked_kinds("At what rent?"))


@pytest.mark.parametrize("question, payments", [
    ("What licence fee would fish farmers pay in the new zones?", {"fee"}),  # "pay" is no payment named
    ("Which bodies want the tunnel tolls cut, and by how much?", {"fee"}),
    ("What minimum salary should mariners earn?", {"wage"}),
    ("How much should the premium subsidy be?", {"premium"}),
    ("許可證的申請費定為多少？", {"fee"}),
    ("擔保費率是多少？", {"fee"}),  # a guarantee fee, not an insurance premium
    ("長期護理保險嘅保費，每人每年最多可以扣稅幾多？", {"premium"}),
    ("生態旅舍每晚房價上限是多少？", {"price"}),
    ("政府負擔多少工資？", {"wage"}),
    ("每個月有幾多錢津貼？", {"allowance"}),
    ("政府承擔多少費用？", set()),  # a cost, not a payment
    ("消費券的金額是多少？", set()),  # spending
    ("How much money will the fund need?", set()),
])
def test_asked_payments(coverage, question: str, payments: set[str]) -> None:
    assert coverage.asked_payments(question) == payments


def test_a_sum_asked_for_as_a_payment_must_be_stated_as_one(lexicon) -> None:
    # "What licence fee …": a passage giving the licence's term and a fund's size states the licence and a sum,
    # but no fee; the fee must be named beside the sum, in either language.
    texts = ["建議在新養殖區發出十五年牌照，並設立二億元養殖基金。",
             "建議新養殖區的牌照費定為每公頃每年五千元。",
             "Licences for the new fish farming zones should carry a fee of HK$5,000 a hectare a year."]
    glossary = Glossary([Entry(("licence", "licences"), ("牌照",), "concept"),
                         Entry(("fish farming zone",), ("養殖區",), "concept")])
    tokenizer = Tokenizer(user_terms=["養殖區", "養殖基金"], stopwords=["的", "the", "a", "of", "for"])
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, glossary, lexicon, [],
                               JudgeSettings(window_sentences=2))
    for question in ("新養殖區的牌照費是多少？", "What licence fee would farmers pay in the new fish farming zones?"):
        concepts, kinds = coverage.concepts(question), coverage.asked_kinds(question)
        payments = coverage.asked_payments(question)
        assert coverage.of(concepts, 0, quantity=Asked(kinds)) > 0  # a sum, but no fee …
        assert coverage.of(concepts, 0, quantity=Asked(kinds, payments)) == 0.0
        for fee in (1, 2):  # … and a fee, in Chinese or in English
            assert coverage.of(concepts, fee, quantity=Asked(kinds, payments)) > 0


@pytest.mark.parametrize("question, rates", [
    ("How many battery packs a year could the plant handle?", {"year"}),
    ("How much would each schoolchild get per year?", {"year"}),
    ("How much per machine, and how much land does each ask for?", {"each"}),  # each of the bodies: no rate
    ("how many drone flights a day would the routes run?", {"day"}),
    ("What share of costs, in per cent, would it meet?", set()),  # a share, not a rate
    ("每間學校每年有幾多津貼？第一年想有幾多間參與？", {"each", "year"}),  # 第一年: which year, no rate
    ("每個月有幾多錢津貼？", {"month"}),
    ("基金總額是多少？", {"total"}),
    ("加埋一共有幾多間房？", {"total"}),
    ("What would the voucher scheme cost in total?", {"total"}),
    ("海外企業駐港地區總部的數目是多少？", set()),  # 總部: a headquarters, no total
    ("把年金保費和強積金供款合計的扣稅上限提高到多少？", set()),  # a combined cap, no total
])
def test_asked_rates(coverage, question: str, rates: set[str]) -> None:
    assert coverage.asked(question).rates == rates


def test_a_quantity_asked_at_a_rate_must_be_stated_at_it(lexicon) -> None:
    # "how many a year": a total over ten years is no number a year; "per project": a fund's size is no cap per
    # project. Either language states the rate (a Chinese question over English text).
    texts = ["About 40,000 battery packs will be retired over the next ten years. We propose a recycling plant.",
             "The recycling plant would handle 5,000 battery packs a year.",
             "建議設立低空經濟基金，總額五億元。",
             "建議設立低空經濟基金，每個項目資助上限一千萬元。",
             "We propose a low-altitude economy fund paying up to HK$10 million per project.",
             "We propose a low-altitude economy fund paying up to HK$10 million a project."]
    glossary = Glossary([Entry(("low-altitude economy",), ("低空經濟",), "concept"),
                         Entry(("fund",), ("基金",), "concept")])
    tokenizer = Tokenizer(user_terms=["低空經濟"], stopwords=["的", "the", "a", "of"])
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, glossary, lexicon, [],
                               JudgeSettings(window_sentences=2))
    packs = "How many battery packs a year could the recycling plant handle?"
    concepts, asked = coverage.concepts(packs), coverage.asked(packs)
    assert coverage.of(concepts, 0, quantity=Asked(asked.kinds)) > 0  # a number of packs …
    assert coverage.of(concepts, 0, quantity=asked) == 0.0  # … but none a year
    assert coverage.of(concepts, 1, quantity=asked) > 0
    fund = "低空經濟基金每個項目最多可獲資助多少？"
    concepts, asked = coverage.concepts(fund), coverage.asked(fund)
    assert asked.rates == {"each"} and coverage.of(concepts, 2, quantity=asked) == 0.0
    assert coverage.of(concepts, 3, quantity=asked) > 0 and coverage.of(concepts, 4, quantity=asked) > 0
    # a total: the fund's size, not a cap per project, in either language
    for total in ("低空經濟基金的總額是多少？", "How much would the low-altitude economy fund cost in total?"):
        concepts, asked = coverage.concepts(total), coverage.asked(total)
        assert asked.rates == {"total"} and coverage.of(concepts, 2, quantity=asked) > 0
        assert all(coverage.of(concepts, i, quantity=asked) == 0.0 for i in (3, 4, 5))


def test_a_quantity_in_the_section_before_is_not_the_one_asked_for(lexicon) -> None:
    # two small sections joined into one chunk: a grant of 五千元 in the first, a cold-chain centre (no cost given)
    # in the second. The figure belongs to the grant: the centre's cost is stated nowhere.
    first = "一、 街市數碼化\n本會建議為每個檔戶提供一次性五千元資助。"
    second = "二、 鮮活食品冷鏈\n本會建議在北部都會區興建鮮活食品冷鏈中心。"
    text = first + "\n" + second
    parts = (Part(0, "1", "街市數碼化", ("一、 街市數碼化",)),
             Part(len(first) + 1, "2", "鮮活食品冷鏈", ("二、 鮮活食品冷鏈",)))
    joined = Chunk(chunk_id="d#0", doc_id="d", body="CMA", year=2024, title="t", section="1", heading="街市數碼化",
                   path=("一、 街市數碼化",), text=text, parts=parts)
    tokenizer = Tokenizer(user_terms=["冷鏈中心", "北部都會區"], stopwords=["的"])
    coverage = ConceptCoverage([joined], tokenizer, Glossary([]), lexicon, [], JudgeSettings(window_sentences=3))
    question = "冷鏈中心要用多少錢？"
    concepts, kinds = coverage.concepts(question), coverage.asked_kinds(question)
    assert kinds == {"money"} and coverage.of(concepts, 0) == 1.0  # the centre is there …
    assert coverage.of(concepts, 0, quantity=Asked(kinds)) == 0.0  # … its cost is not
    grant = coverage.concepts("每個檔戶的資助是多少？")
    assert coverage.of(grant, 0, quantity=Asked()) == coverage.of(grant, 0) > 0  # the grant's figure is its own


def test_a_count_asked_by_its_classifier_is_a_count_not_a_sum_or_a_span(coverage) -> None:
    question = "快速裁定服務每年處理多少宗個案？"
    assert coverage.asked_kinds(question) == {"count"}
    assert not states_quantity("rule on questions within 60 days, for a fee of HK$30,000", frozenset({"count"}))
    assert states_quantity("可處理約三百宗個案", frozenset({"count"}))
    assert states_quantity("the service would handle 300 cases a year", frozenset({"count"}))


def test_what_fee_leaves_the_fee_a_word_of_the_question(coverage) -> None:
    assert "fee" in coverage._topic_text("What licence fee would fish farmers pay?")


def test_quantity_needs_a_number_with_a_unit_not_a_year_or_version(coverage) -> None:
    jobs = coverage.concepts("How many jobs does the low-altitude economy create?")
    assert coverage.of(jobs, 3) == 1.0 and coverage.of(jobs, 3, quantity=Asked()) == 0.0
    floor = coverage.concepts("數據中心樓面面積預計增加多少？")
    assert coverage.of(floor, 4, quantity=Asked()) == coverage.of(floor, 4) > 0
    drones = coverage.concepts("無人機中心有多少？")
    assert coverage.of(drones, 5, quantity=Asked()) == 0.0


def test_words_are_whole_words_with_tags_and_offsets_into_the_folded_text() -> None:
    from rag.text.tokenize import fold

    tokenizer = Tokenizer(user_terms=["工業旅遊"])
    text = "廠商會主張 發展工業旅遊"
    words = tokenizer.words(text)
    assert [w.text for w, _ in words] == ["厂商会", "主张", "发展", "工业旅游"]
    assert all(fold(text)[w.start:w.end] == w.text for w, _ in words)


def test_unmatched_words_skip_glossary_phrases() -> None:
    glossary = Glossary([Entry(("food industrial park",), ("食品產業園",), "concept")])
    assert glossary.unmatched_words("Who wants a Food Industrial Park near the border?") == [
        "who", "wants", "near", "the", "border"]


def test_glossary_matches_either_spelling_and_dictionary_words_in_the_plural() -> None:
    glossary = Glossary([Entry(("labour shortage",), ("人手短缺",), "concept"),
                         Entry(("new industrialization",), ("新型工業化",), "policy"),
                         Entry(("tax",), ("稅",), "word"), Entry(("policy",), ("政策",), "word")])
    found = glossary.matches("Labour shortages, taxes and policies under new industrialisation")
    assert [p for p, _ in found] == ["taxes", "policies", "new industrialization"]
    assert glossary.unmatched_words("Taxation of buses") == ["taxation", "of", "buses"]
    assert glossary.unmatched_words("Re-industrialisation or modernization") == [
        "re", "industrialisation", "or", "modernization"]  # as the question spells them


@pytest.mark.parametrize("word, forms", [
    ("plan", {"plans", "planned", "planning"}),
    ("commute", {"commutes", "commuted", "commuting"}),
    ("policy", {"policies"}),
    ("deploy", {"deploys", "deployed", "deploying"}),
    ("cross border", {"cross borders"}),
])
def test_dictionary_words_match_their_regular_inflections(word: str, forms: set[str]) -> None:
    assert forms <= set(inflections(word))
    glossary = Glossary([Entry((word,), ("往返",), "verb")])
    assert all(glossary.matches(f"Who wants {form} here?") for form in forms)


def test_dictionary_words_neither_rephrase_nor_segment_chinese_questions(lexicon) -> None:
    glossary = Glossary([Entry(("plan", "blueprint"), ("規劃", "藍圖"), "word"),
                         Entry(("food industrial park",), ("食品產業園", "食品工業園"), "concept")])
    assert glossary.chinese_terms() == ["食品產業園", "食品工業園"]
    assert glossary.rephrasings("哪些團體建議制定產業規劃？") == []
    assert glossary.expand("Which bodies want a plan?") == ["規劃", "藍圖"]
    tokenizer = Tokenizer()
    coverage = ConceptCoverage([chunk(0, "本會建議制定產業藍圖。")], tokenizer, glossary, lexicon, [])
    [concept] = [c for c in coverage.concepts("哪些團體建議制定產業規劃？", drop_unknown=False) if c.label == "规划"]
    assert concept.forms == ("规划",)  # 藍圖 is no Chinese synonym of 規劃 …
    [english] = coverage.concepts("Which bodies want a blueprint?", drop_unknown=False)
    # … but either answers the English word, as do its English wordings
    assert set(english.forms) == {"规划", "蓝图", "plan", "blueprint"}


def test_english_phrase_gets_partial_credit_for_its_chinese_pieces(lexicon) -> None:
    glossary = Glossary([Entry(("cross-border data flow",), ("數據跨境流動",), "concept"),
                         Entry(("expand",), ("擴展",), "verb")])
    tokenizer = Tokenizer(user_terms=["數據跨境流動"])
    texts = ["建議促進數據跨境流動。", "將商業數據擴展至大灣區。", "本會關注旅遊業。"]
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, glossary, lexicon, [])
    [expand, flow] = coverage.concepts("Which bodies want to expand cross-border data flow?")
    # an everyday verb weighs half a noun, and a dictionary word a share of a term
    assert expand.weight == pytest.approx(0.5 * JudgeSettings().dictionary_weight * coverage.idf(expand.forms))
    assert flow.parts and flow.weight == pytest.approx(coverage.idf(flow.forms))
    assert coverage.of([flow], 0) == 1.0
    assert 0 < coverage.of([flow], 1) <= 0.5 and coverage.of([flow], 2) == 0.0


def test_reads_a_term_ignores_everyday_words_bodies_and_framing(lexicon) -> None:
    glossary = Glossary([Entry(("build",), ("建設",), "verb"), Entry(("cma",), ("廠商會",), "body"),
                         Entry(("propose",), ("建議",), "other"),
                         Entry(("food industrial park",), ("食品產業園",), "concept")])
    coverage = ConceptCoverage([chunk(0, "建議建設食品產業園。")], Tokenizer(), glossary, lexicon, [])
    assert not coverage.reads_a_term("Does CMA propose to build a casino?")
    assert coverage.reads_a_term("Does CMA propose to build a food industrial park?")


ENGLISH = [
    "The Chamber proposed a food industry park in the Northern Metropolis.",  # the entry's words, inflected
    "Members of the Meridian Chamber met the Financial Secretary.",  # the body's name, no topic
    "Arbitration proposals: an arbitration campus near the courts.",
    "本會建議發展低空經濟。",
]


@pytest.fixture(scope="module")
def bilingual(lexicon) -> ConceptCoverage:
    glossary = Glossary([Entry(("food industrial park",), ("食品產業園",), "concept"),
                         Entry(("low-altitude economy",), ("低空經濟",), "concept")])
    tokenizer = Tokenizer(user_terms=["食品產業園", "低空經濟", "子午線商會"], stopwords=["the", "a", "of", "in", "on"])
    names = ["Meridian Chamber of Commerce in Hong Kong", "Meridian Chamber", "MCCHK", "香港子午線商會", "子午線商會"]
    return ConceptCoverage([chunk(i, t) for i, t in enumerate(ENGLISH)], tokenizer, glossary, lexicon, names)


def test_a_chinese_concept_is_covered_by_an_english_passage_stating_its_glossary_wording(bilingual) -> None:
    [concept] = bilingual.concepts("哪些團體建議設立食品產業園？")
    assert bilingual.of([concept], 0) == 1.0  # "food industry park": stems meet "food industrial park"
    assert bilingual.of([concept], 1) == 0.0


def test_an_english_concept_is_covered_by_a_chinese_passage_or_an_english_one(bilingual) -> None:
    [concept] = bilingual.concepts("Which bodies propose a low-altitude economy?")
    assert bilingual.of([concept], 3) == 1.0 and bilingual.of([concept], 0) == 0.0


def test_plain_english_words_match_as_stems(bilingual) -> None:
    [concept] = bilingual.concepts("Which bodies propose arbitrations?")
    assert concept.forms == ("arbitr",) and bilingual.of([concept], 2) == 1.0
    assert bilingual.unread_words("Which bodies propose arbitrations?") == []


@pytest.mark.parametrize("question", ["What does the Meridian Chamber propose on arbitration?",
                                      "What does MCCHK propose on arbitration?",
                                      "子午線商會對 arbitration 有何建議？"])
def test_a_bodys_names_are_never_concepts(bilingual, question: str) -> None:
    assert labels(bilingual.concepts(question)) == ["arbitration"]
    assert bilingual.unread_words(question) == []


def test_a_comparative_is_no_concept_even_where_passages_have_its_adjective(lexicon) -> None:
    # "no longer" says when, not what: "longer" reads as "long", which a passage has (terms long enough …)
    texts = ["Licences should run for terms long enough to repay a loan.", "Arbitration should be quicker."]
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], Tokenizer(), Glossary([]), lexicon, [])
    assert coverage.df(("long",)) == 1
    assert "longer" not in labels(coverage.concepts("Which bodies say arbitration should no longer be slow?"))


def test_a_comparative_is_no_unread_word(bilingual) -> None:
    # "older" of "older customers" says which customers; like "freely" or "cheaper" it names no thing to look for
    assert "older" not in bilingual.unread_words("What does the Meridian Chamber propose for older arbitrators?")


def test_the_quantity_asked_for_is_no_concept(bilingual) -> None:
    # (unknown words kept, so "large" or "share" would show if they were read as topic words)
    assert labels(bilingual.concepts("How large is the food industrial park?", drop_unknown=False)) == [
        "food industrial park"]
    assert labels(bilingual.concepts("What share of arbitration?", drop_unknown=False)) == ["arbitration"]


def test_an_english_word_outside_the_glossary_is_judged_on_english_passages_only(lexicon) -> None:
    chunks = [chunk(0, "本會建議推動新質生產力，並舉辦高峰論壇。"),
              chunk(1, "The Chamber will hold a summit in April on green shipping and cruise terminals for all.")]
    glossary = Glossary([Entry(("new quality productive forces",), ("新質生產力",), "term")])
    cover = ConceptCoverage(chunks, Tokenizer(stopwords=["is", "on"]), glossary, lexicon, [])
    concepts = cover.concepts("Which summit is on new quality productive forces?")
    assert {c.label for c in concepts} >= {"new quality productive forces", "summit"}
    assert [c.label for c in cover.readable(concepts, 0)] == ["new quality productive forces"]
    assert cover.of(concepts, 0) == 1.0  # the Chinese passage states all it can be asked about
    assert cover.of(concepts, 1) < 1.0  # the English one has "summit", not the forces


def test_a_chinese_word_outside_the_glossary_is_judged_on_chinese_passages_only(lexicon) -> None:
    chunks = [chunk(0, "本會建議擴建郵輪碼頭，以吸引更多旅客。"),
              chunk(1, "The Chamber recommends a second cruise berth and a low-altitude economy pilot zone.")]
    glossary = Glossary([Entry(("low-altitude economy",), ("低空經濟",), "term")])
    cover = ConceptCoverage(chunks, Tokenizer(user_terms=["低空經濟"]), glossary, lexicon, [])
    concepts = cover.concepts("郵輪碼頭和低空經濟有甚麼建議？", drop_unknown=False)
    readable = {c.label for c in cover.readable(concepts, 1)}
    assert any("低空" in label for label in readable)  # linked to its English wording by the glossary
    assert not any("郵輪" in label for label in readable)  # no English wording: neither found nor missed there
    assert cover.of(concepts, 1) == 1.0


def test_an_english_word_found_nowhere_counts_as_missing_from_every_passage(lexicon) -> None:
    # "sugar" is in no passage and no glossary entry: no passage, Chinese or English, can be shown to state it
    chunks = [chunk(0, "本會建議檢討稅制，推出稅務優惠。"), chunk(1, "The Chamber recommends a lower profits tax rate.")]
    glossary = Glossary([Entry(("tax",), ("稅制", "稅務"), "concept")])
    judge = JudgeSettings(unread_weight=0.3)
    cover = ConceptCoverage(chunks, Tokenizer(), glossary, lexicon, [], judge)
    concepts = cover.concepts("Which bodies propose a sugar tax?")
    [sugar] = [c for c in concepts if c.label == "sugar"]
    assert sugar.unread and sugar.weight == pytest.approx(cover.idf(("no such form",)) * 0.3)
    assert 0 < cover.of(concepts, 0) < 1.0 and 0 < cover.of(concepts, 1) < 1.0
    # with no weight, it is dropped as before
    dropped = ConceptCoverage(chunks, Tokenizer(), glossary, lexicon, [], JudgeSettings(unread_weight=0.0))
    assert [c.label for c in dropped.concepts("Which bodies propose a sugar tax?")] == ["tax"]


@pytest.mark.parametrize(("question", "key"), [
    ("Which bodies propose a sugar tax?", ["sugar"]),
    ("Which bodies want to ban plastic straws?", ["plastic", "straws"]),  # "ban" after "to" is the action
    ("Which bodies propose boosting the tax system?", []),  # a gerund frames the topic
    ("Which bodies want to ease the tax burden?", []),
    ("Which bodies propose a sugar tax, taking a leaf from Macao?", ["sugar"]),  # the aside says how, not what
    ("Which bodies want a cheaper, fairer tax system?", []),  # comparatives say how much more, not what
    ("Which bodies want the tax system to work more freely?", []),  # an adverb says how
    ("Which bodies propose a tax system, for example with lower premiums?", []),  # examples illustrate the topic
    ("Which bodies propose a nuclear tax?", ["nuclear"]),  # an adjective in its own form can be the thing asked
])
def test_unread_key_words_are_the_noun_shaped_ones(lexicon, question: str, key: list[str]) -> None:
    chunks = [chunk(0, "本會建議檢討稅制，推出稅務優惠。")]
    glossary = Glossary([Entry(("tax", "tax system", "tax burden"), ("稅制", "稅務"), "concept")])
    cover = ConceptCoverage(chunks, Tokenizer(stopwords=["a", "the"]), glossary, lexicon, [])
    assert cover.unread_key_words(question) == key


@pytest.mark.parametrize(("question", "plain"), [
    ("Which bodies propose the low-altitude economy, for example jobs, retail or logistics?",
     "Which bodies propose the low-altitude economy, jobs, retail or logistics?"),
    ("哪些團體建議發展低空經濟，例如零售業、物流業或數據中心？", "哪些團體建議發展低空經濟、零售業、物流業或數據中心？"),
])
def test_examples_a_question_gives_are_one_concept_any_of_which_will_do(coverage, question: str, plain: str) -> None:
    grouped, listed = coverage.concepts(question), coverage.concepts(plain)
    assert len(listed) >= 3 and len(grouped) < len(listed)
    [given] = [c for c in grouped if " | " in c.label]  # the examples, as one
    assert set(given.forms) == {form for c in listed if c.label in given.label.split(" | ") for form in c.forms}
    # a passage on the topic states at least half of what is asked, more than if each example were a topic
    assert coverage.of(grouped, 3) >= 0.5 and coverage.of(grouped, 3) > coverage.of(listed, 3)
    # any one example is as good as all of them: in each passage, the examples count as the best one stated
    examples = [c for c in listed if c.label in given.label.split(" | ")]
    for position in range(len(TEXTS)):
        assert coverage.of([given], position) == max(coverage.of([c], position) for c in examples)
    assert any(coverage.of([given], position) == 1.0 for position in range(len(TEXTS)))


def test_an_example_cue_without_examples_changes_nothing(coverage) -> None:
    assert labels(coverage.concepts("哪些團體建議設立食品產業園，例如？")) == labels(coverage.concepts("哪些團體建議設立食品產業園？"))


def test_the_two_compared_are_no_concept(coverage) -> None:
    """兩者 / 雙方 point back at the bodies compared, as "both" does; the topic is what is left."""
    assert labels(coverage.concepts("兩者對低空經濟的建議有何不同？")) == labels(coverage.concepts("對低空經濟的建議有何不同？"))


def test_missing_nouns_are_topic_nouns_no_passage_has(lexicon) -> None:
    texts = ["本會建議職業訓練局開辦茶藝文憑課程，並資助茶莊聘請學徒。", "檢視《稅務條例》的基本原則，給予機器設備折舊免稅額。"]
    tokenizer = Tokenizer(stopwords=["的"])
    cover = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, Glossary([]), lexicon, [])
    vocabulary = {token for text in texts for token in tokenizer.tokenize(text)}
    known = vocabulary.__contains__
    assert cover.missing_nouns("政府應否提高薪俸稅的基本免稅額？", known) == ["薪俸", "薪俸税"]  # and the compound
    # the thing asked for is no topic; nor is a word jieba cut across a corpus word (名茶 of 每名茶藝: 茶藝 is one)
    assert cover.missing_nouns("本會建議沿著哪兩條主線發展茶藝？", known) == []
    assert cover.missing_nouns("每名茶藝學徒每月資助多少？", known) == []
    # nor a common word (設想 read as a noun where it is the verb of 「本會設想的…」)
    assert cover.missing_nouns("本會設想的茶藝課程有甚麼特點？", known) == []
    # a quoted name no passage has, however jieba cuts it; a quoted name a passage has (spaces aside), none
    assert cover.missing_quoted("哪些團體建議擴大“一簽多行”安排？") == ["一簽多行"]
    assert cover.missing_quoted("「茶藝 文憑」課程為期多久？") == []
    assert "一簽多行" in cover.missing_nouns("哪些團體建議擴大“一簽多行”安排？", known)
    # a compound jieba cuts into a word and a one-character noun (工作周: 工作 / 周), that no passage has
    assert cover.missing_compounds("哪些團體建議推行四天工作周？", known) == ["工作周"]
    assert cover.missing_compounds("哪些團體建議資助茶莊聘請學徒？", known) == []  # words the passages have
    # Cantonese 幾多 asks for the thing after it, as 多少 does: 間房 is what is counted, not the topic
    assert cover.missing_nouns("每間茶莊有幾多間房？", known) == []


@pytest.mark.parametrize(("question", "named"), [("哪些團體建議讓廠商開放生產線（即「工業旅遊」）？", "生产线"),
                                              ("Which bodies propose data centres (i.e. 工業旅遊)?", "center")])
def test_another_name_in_brackets_is_the_same_concept_either_will_do(coverage, question: str, named: str) -> None:
    # the bracketed alias joins the thing named right before it: a passage stating either one states it
    concepts = coverage.concepts(question, drop_unknown=False)
    [alias] = [c for c in concepts if c.any_of]
    assert "工业旅游" in alias.forms and any(named in form for form in alias.forms)
    assert not any("工业旅游" in c.forms for c in concepts if not c.any_of)
    assert coverage.of([alias], 0) == 1.0  # the first passage states 工業旅遊: that is enough


@pytest.mark.parametrize("question, frame", [
    ("商會設想的那個海外服務中心，能提供哪幾類支援？", "设想"),  # how the idea is referred to, not what it is
    ("在氣候變化方面，兩會的建議側重點有什麼不同？", "侧重点"),  # how two ideas are compared
])
def test_words_that_refer_to_or_compare_ideas_are_no_concepts(lexicon, question: str, frame: str) -> None:
    texts = ["本會設想設立海外服務中心，提供法律及會計支援。", "兩會的側重點不同：一會重減排，一會重氣候適應。"]
    tokenizer = Tokenizer(user_terms=["服務中心", "側重點"], stopwords=["的", "了"])
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, Glossary([]), lexicon, [],
                               JudgeSettings(window_sentences=2))
    assert frame not in labels(coverage.concepts(question))
    assert labels(coverage.concepts(question))  # the rest of the question is read


def test_a_chinese_word_is_looked_for_in_english_text_by_any_word_of_its_dictionary_senses(lexicon) -> None:
    texts = ["The Chamber proposes a fund to train young arbitrators.", "本會建議資助本地農場。"]
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], Tokenizer(), Glossary([]), lexicon, [],
                               JudgeSettings(window_sentences=2))
    assert coverage.worded_in_english("仲裁") is True  # arbitration: as a stem, the arbitrators' word
    assert coverage.worded_in_english("噪音") is False  # noise, rumble, static: none is there
    assert coverage.worded_in_english("匠心傳承津貼") is None  # not in the dictionary: cannot be looked for


def test_a_passage_states_a_question_in_its_own_voice_only_where_it_is_not_reporting_a_view(lexicon) -> None:
    from rag.answer.roles import OwnVoice, SentenceRoles

    texts = ["本會建議設立茶葉基金。亦有會員建議興建賽馬場；此事不屬本會範疇，本會不作建議。",
             "本會建議興建賽馬場。"]
    tokenizer = Tokenizer(user_terms=["賽馬場", "茶葉基金"], stopwords=["的"])
    coverage = ConceptCoverage([chunk(i, t) for i, t in enumerate(texts)], tokenizer, Glossary([]), lexicon, [],
                               JudgeSettings(window_sentences=2))
    own = OwnVoice(SentenceRoles(lexicon))
    concepts = coverage.concepts("哪些團體建議興建賽馬場？")
    assert coverage.of(concepts, 0, strict=True) == 1.0  # the words are there …
    assert coverage.own_of(concepts, 0, own) == 0.0  # … in a view the body reports, not its own
    assert coverage.own_of(concepts, 1, own) == 1.0
    assert coverage.own_of(concepts, 0, OwnVoice(SentenceRoles(lexicon))) == 0.0  # an equal reader reads alike
    # the sentences kept are the predicate's: another predicate is not served the first one's windows
    assert coverage.own_of(concepts, 0, lambda sentence, body: True) == 1.0


@pytest.mark.parametrize("question", ["What is the heaviest load the drones would carry?",
                                      "What is the largest site the Institute wants sold?", "無人機可以載幾重？"])
def test_a_superlative_or_a_weight_asks_for_a_quantity(coverage, question: str) -> None:
    assert coverage.asks_quantity(question)


def test_most_important_asks_for_no_weight(coverage) -> None:
    assert "weight" not in coverage.asked_kinds("最重要的建議是甚麼？有多少項？")  # 最重要: most important


def test_an_unknown_english_word_of_a_chinese_question_weighs_as_an_unknown_chinese_word(lexicon) -> None:
    # a Chinese question writes an English word on purpose: a name or a term (「發展 quidditch 聯賽」), its key word
    chunks = [chunk(0, "本會建議發展文化產業。"), chunk(1, "The Chamber recommends a lower profits tax rate.")]
    cover = ConceptCoverage(chunks, Tokenizer(), Glossary([]), lexicon, [], JudgeSettings(unread_weight=0.3))
    unknown = cover.idf(("no such form",))
    [word] = [c for c in cover.concepts("各團體對發展 quidditch 產業有甚麼建議？", drop_unknown=False)
              if c.label == "quidditch"]
    assert word.unread and word.weight == pytest.approx(unknown)
    # … in an English question, a calibrated share of one (most English words are no key word)
    [english] = [c for c in cover.concepts("Which bodies propose quidditch leagues?", drop_unknown=False)
                 if c.label == "quidditch"]
    assert english.weight == pytest.approx(unknown * 0.3)


def test_a_body_writing_of_itself_states_no_topic(lexicon) -> None:
    """"The Institute" in the Ambermoor Institute's own text is who speaks: a question about an institute (or about
    制度, which the dictionary reads as "institution") finds nothing there; another body's Design Institute it does."""
    glossary = Glossary([Entry(("institution", "institute"), ("制度",), "concept")])
    tokenizer = Tokenizer(stopwords=["the", "a", "of"])
    texts = ["Institute estimate from a review of members' client files, June 2026.",
             "The Government should set up a Design Institute in Tsuen Wan."]
    chunks = [Chunk(chunk_id=f"d#{i}", doc_id="d", body="AITT", year=2026, title="t", section=str(i), heading="",
                    path=(), text=text) for i, text in enumerate(texts)]
    coverage = ConceptCoverage(chunks, tokenizer, glossary, lexicon, ["Ambermoor Institute", "AITT"])
    for question in ("Which bodies propose a new institute?", "各團體對制度有甚麼建議？"):
        concepts = coverage.concepts(question)
        assert coverage.of(concepts, 0) == 0.0 and coverage.of(concepts, 1) == 1.0
