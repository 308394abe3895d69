"""The bundled model reaches across languages where lexical matching is blind (a small bilingual corpus written
here): an English question finds the Chinese passage. The other way round it does not yet: the 4-bit
multilingual-e5-small scores a Chinese question closer to Chinese passages on other topics (0.82) than to the
English passage that answers it (0.78); those cases are strict expected failures until something bridges them."""

from __future__ import annotations

import pytest

from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.retrieve.bilingual import bundled_pipeline, write_bilingual_corpus

ENGLISH = """Harbour Chamber of Commerce
Submission on the Policy Address

1. Cruise tourism
The Chamber recommends that the Government expand the cruise terminal at Kai Tak with a second berth, so that
two mega cruise ships can call at the same time during the peak season.

2. Arbitration services
We propose a new fund to train young arbitrators and to promote Hong Kong as a seat for international
commercial arbitration in the region.

3. Yacht berths
We propose that the Government spend HK$500 million on 200 new public yacht berths in Aberdeen.
"""

CHINESE = """青年創科協會
施政報告建議書

一、智慧農業
本會建議政府資助本地農場引入垂直種植及自動灌溉系統，提升蔬菜自給率。

二、長者科技
本會建議設立樂齡科技試用中心，讓長者試用智能手環及防跌感應器。
"""



@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Pipeline:
    corpus = write_bilingual_corpus(tmp_path_factory.mktemp("bilingual"), ENGLISH, CHINESE)
    return bundled_pipeline(corpus)


CHINESE_OVER_ENGLISH = pytest.mark.xfail(strict=True, reason="the model prefers same-language passages")


@pytest.mark.parametrize(("question", "doc", "words"), [
    pytest.param("郵輪碼頭應否擴建？", "en_doc", "cruise terminal", marks=CHINESE_OVER_ENGLISH),
    pytest.param("有團體建議培訓年輕仲裁員嗎？", "en_doc", "arbitrators", marks=CHINESE_OVER_ENGLISH),
    ("Who wants trial centres for elderly technology?", "zh_doc", "樂齡科技"),
    ("What is proposed for vertical farming?", "zh_doc", "垂直種植"),
])
def test_a_question_finds_the_passage_in_the_other_language(bilingual: Pipeline, question, doc, words) -> None:
    hybrid = bilingual.ask(question, top_k=1, mode=Mode.HYBRID)
    assert hybrid.mode == "hybrid"
    assert hybrid.sources[0].doc_id == doc and words in hybrid.sources[0].text
    dense = bilingual.ask(question, top_k=1, mode=Mode.DENSE)
    assert dense.sources[0].doc_id == doc and words in dense.sources[0].text


def test_a_chinese_question_about_an_english_submission_is_answered_as_unchecked(bilingual: Pipeline) -> None:
    from rag.types import WarningCode

    answer = bilingual.ask("海港商會對郵輪碼頭有甚麼建議？", top_k=3, mode=Mode.HYBRID)
    assert not answer.abstained
    assert answer.has_warning(WarningCode.UNCHECKED_LANGUAGE)
    assert answer.answer.startswith("以下段落與問題的語言不同")  # said in the question's language, before the quotes
    assert {s.doc_id for s in answer.sources} == {"en_doc"}
    lexical = bilingual.ask("海港商會對郵輪碼頭有甚麼建議？", top_k=3, mode=Mode.LEXICAL)
    assert not lexical.has_warning(WarningCode.UNCHECKED_LANGUAGE)  # no model, no claim of closeness in meaning


def test_an_unchecked_question_asking_a_number_the_passages_lack_is_declined(bilingual: Pipeline) -> None:
    answer = bilingual.ask("海港商會建議把利得稅下調至多少？", top_k=3, mode=Mode.HYBRID)
    assert answer.abstained


def test_an_unchecked_how_much_answer_rests_on_a_closest_passage_stating_the_kind_asked_for(
        bilingual: Pipeline) -> None:
    # Where the question's words cannot be checked in the passages, the one the model puts first is all an answer
    # rests on: the cruise passage names no sum, so a fee asked about the cruise terminal is not answered with
    # the yacht berths' HK$500 million that came second. Nor is it when the yacht passage comes first: a sum
    # spent is not a fee; a question about money spent is answered by it.
    from rag.types import Language, ScoredChunk
    from rag.understand.query import Query

    composer = bilingual._composer(search=None)
    at = {c.section: i for i, c in enumerate(bilingual.chunks) if c.doc_id == "en_doc"}
    cruise_first = [ScoredChunk(at["1"], 0.9), ScoredChunk(at["3"], 0.8)]
    fee = Query("海港商會建議郵輪碼頭的泊位費是多少？", Language.ZH_HANT, [], [], [])
    assert not composer._closest_states_quantity(fee, cruise_first)
    assert not composer._closest_states_quantity(fee, cruise_first[::-1])
    spend = Query("海港商會建議政府投放多少資金興建遊艇泊位？", Language.ZH_HANT, [], [], [])
    assert not composer._closest_states_quantity(spend, cruise_first)
    assert composer._closest_states_quantity(spend, cruise_first[::-1])
    proposals = Query("海港商會對郵輪碼頭有甚麼建議？", Language.ZH_HANT, [], [], [])  # no number asked for
    assert composer._closest_states_quantity(proposals, cruise_first)


def test_an_english_question_over_chinese_text_is_judged_as_before(bilingual: Pipeline) -> None:
    from rag.types import WarningCode

    answer = bilingual.ask("What does the Youth Innovation Association propose for vertical farming?", top_k=3,
                           mode=Mode.HYBRID)
    assert not answer.has_warning(WarningCode.UNCHECKED_LANGUAGE)


def test_a_chinese_question_about_a_thing_the_english_submission_never_words_abstains(bilingual: Pipeline) -> None:
    # 噪音 is in no passage, and none of its dictionary senses (noise, rumble, static) is in the English one: the
    # terminal's passage states the rest of the question about something else
    assert bilingual.ask("海港商會對郵輪碼頭的噪音有甚麼建議？", top_k=3, mode=Mode.HYBRID).abstained
    # 遊艇 is in no Chinese passage either, but the English one words it (yacht): answered, unchecked
    assert not bilingual.ask("海港商會對遊艇有甚麼建議？", top_k=3, mode=Mode.HYBRID).abstained


def test_an_english_term_a_chinese_question_writes_is_looked_for_in_the_english_submission(
        bilingual: Pipeline) -> None:
    # the passages cannot be checked for 建議's other words, but the term the question writes in their language can:
    # "international arbitration" is there word after word (international … commercial arbitration is not it)
    assert bilingual.ask("海港商會對 cruise terminal 有甚麼建議？", top_k=3, mode=Mode.HYBRID).sources[0].section == "1"
    assert not bilingual.ask("海港商會對 cruise terminal 有甚麼建議？", top_k=3, mode=Mode.HYBRID).abstained
    assert bilingual.ask("海港商會對 international arbitration 的收費有甚麼建議？", top_k=3, mode=Mode.HYBRID).abstained
