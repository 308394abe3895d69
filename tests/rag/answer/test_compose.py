"""Cited answers on the real corpus: which bodies, comparisons, abstention, follow-ups, streaming, LLM path."""

from __future__ import annotations

import dataclasses

import pytest

from rag.text.normalize import match_key
from rag.types import Answer
from tests.rag.fake_llm_server import FakeLLMServer

pytestmark = pytest.mark.corpus


def cited(answer: Answer) -> list:
    return [s for s in answer.sources if f"[{s.n}]" in answer.answer]


def test_which_bodies_food_park_in_english_names_cma_both_years_and_fhki(shared_pipeline) -> None:
    answer = shared_pipeline.ask("Which bodies propose a food industrial park?")
    assert answer.bodies == ["CMA", "FHKI"] and not answer.abstained
    where = {(s.body, s.year, s.section) for s in cited(answer)}
    assert ("CMA", 2024, "7") in where and ("FHKI", 2023, "2.III.B") in where
    assert any(s.body == "CMA" and s.year == 2025 and s.section.startswith("13") for s in cited(answer))
    assert "2024 and 2025" in answer.answer and answer.answer.startswith("2 of the 3 bodies")


def test_which_bodies_lists_each_body_once_and_quotes_verbatim(shared_pipeline) -> None:
    answer = shared_pipeline.ask("哪些团体建议设立大宗商品交易平台？")  # a dev-split topic (c017)
    assert answer.language == "zh-Hans" and set(answer.bodies) == {"CMA", "FHKI"}
    assert len(answer.bodies) == len(set(answer.bodies))
    assert answer.answer.startswith("资料库 3 个团体中")
    for source in answer.sources:
        assert match_key(source.quote) in match_key(shared_pipeline.documents[source.doc_id])


def test_a_question_asking_for_proposals_quotes_a_proposing_sentence(shared_pipeline) -> None:
    # CMA §12 opens with background (低空經濟 written into the 2024 government work report); its own view follows
    answer = shared_pipeline.ask("在發展低空經濟方面，廠商會建議特區政府從哪幾方面入手？")
    quotes = [s.quote for s in cited(answer) if s.section == "12"]
    assert quotes and not any("全國兩會" in q for q in quotes), quotes


def test_question_naming_one_body_is_answered_from_that_body(shared_pipeline) -> None:
    answer = shared_pipeline.ask("經民聯對低空經濟有甚麼建議？")
    assert answer.bodies == ["BPA"] and all(s.body == "BPA" for s in answer.sources)


def test_compare_puts_each_body_side_by_side(shared_pipeline) -> None:
    answer = shared_pipeline.ask("廠商會和工總對輸入勞工的建議有何不同？")
    assert answer.answer.index("**廠商會**") < answer.answer.index("**工總**")
    assert set(answer.bodies) == {"CMA", "FHKI"}


def test_compare_says_not_addressed_for_a_silent_side(shared_pipeline) -> None:
    answer = shared_pipeline.ask("How do CMA and BPA differ on imported labour and the Supplementary Labour Scheme?")
    assert "BPA" in answer.answer and "not addressed" in answer.answer
    assert "BPA" not in answer.bodies


def test_unanswerable_question_abstains_and_shows_possibly_related(shared_pipeline) -> None:
    answer = shared_pipeline.ask("香港中華廠商聯合會對最低工資水平有何建議？")
    assert answer.abstained and answer.bodies == []
    assert answer.answer.startswith("資料庫中沒有段落回答這個問題")


def test_follow_up_is_resolved_against_the_previous_question(shared_pipeline) -> None:
    first = shared_pipeline.ask("廠商會對輸入勞工有甚麼建議？")
    follow = shared_pipeline.ask("那工總呢？", history=[first])
    assert follow.resolved_question == "工總對輸入勞工有甚麼建議？"
    assert follow.bodies == ["FHKI"]
    later = shared_pipeline.ask("What about the 2025 paper?", history=[("q", first)])
    assert later.sources and {s.year for s in later.sources} == {2025}


def test_stream_yields_text_then_the_same_answer_as_ask(shared_pipeline) -> None:
    pieces = list(shared_pipeline.stream("Which bodies propose a food industrial park?"))
    final = pieces[-1]
    assert isinstance(final, Answer) and "".join(pieces[:-1]) == final.answer
    assert final.answer == shared_pipeline.ask("Which bodies propose a food industrial park?").answer


def test_llm_synthesis_cites_sources_and_falls_back_on_error(shared_pipeline, monkeypatch) -> None:
    from rag.answer.llm import LLMAnswerer, LLMConfig

    with FakeLLMServer(reply="CMA proposes a food industrial park [1]. FHKI wants land for one [19].") as server:
        config = LLMConfig(base_url=server.url, model="fake", timeout_s=5)
        monkeypatch.setattr(shared_pipeline, "llm", LLMAnswerer(config, catalog=shared_pipeline.catalog))
        answer = shared_pipeline.ask("Which bodies propose a food industrial park?")
        assert answer.answerer == "llm" and "[19]" not in answer.answer and "[1]" in answer.answer
        assert any("19" in w for w in answer.warnings)
        assert "食品" in server.prompt()
    with FakeLLMServer(status=500) as server:
        monkeypatch.setattr(shared_pipeline, "llm", LLMAnswerer(dataclasses.replace(config, base_url=server.url)))
        answer = shared_pipeline.ask("Which bodies propose a food industrial park?")
        assert answer.answerer == "extractive" and answer.bodies == ["CMA", "FHKI"]
        assert any("extractive" in w for w in answer.warnings)


def test_no_llm_configured_means_no_network(shared_pipeline, monkeypatch) -> None:
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("nothing may open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert shared_pipeline.llm is None
    assert shared_pipeline.ask("食品產業園").sources


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_cli_exports_a_briefing(tmp_path, fmt, shared_pipeline) -> None:
    import subprocess
    import sys

    out = tmp_path / f"brief.{fmt}"
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "--index", str(shared_pipeline.settings.index_dir), "ask",
         "Which bodies propose a food industrial park?", "--format", fmt, "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    if fmt == "md":
        text = out.read_text(encoding="utf-8")
        assert "[^1]:" in text and "§7" in text
    else:
        import docx

        body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        assert "食品產業園" in body and "FHKI" in body


def test_organisation_outside_the_corpus_gets_a_plain_no(shared_pipeline) -> None:
    answer = shared_pipeline.ask("What is the Liberal Party's position on developing the Northern Metropolis?")
    assert answer.abstained and answer.answer.startswith("The corpus holds no submission from Liberal Party")
    mentioned = shared_pipeline.ask("世界半導體貿易統計協會預測2024年全球半導體市場增長多少？")
    assert not mentioned.abstained  # an organisation the documents cite is content, not a missing body


def test_which_bodies_keeps_only_the_body_that_states_the_topic(shared_pipeline) -> None:
    # BPA and FHKI say 大力發展 (of other things) and 工業; only CMA proposes industrial tourism.
    answer = shared_pipeline.ask("哪些團體主張發展工業旅遊？")
    assert answer.bodies == ["CMA"]


def test_which_bodies_abstains_when_no_passage_has_the_topic(shared_pipeline) -> None:
    answer = shared_pipeline.ask("有冇團體建議改變聯繫匯率制度？")
    assert answer.abstained and answer.bodies == []
    assert answer.answer.startswith("資料庫中沒有團體提出這項建議")


def test_which_bodies_names_no_body_for_a_quoted_name_no_passage_has(shared_pipeline) -> None:
    # 大灣區 and 旅客 are everywhere; the scheme asked about, quoted, is in no passage
    answer = shared_pipeline.ask("哪些團體建議擴大內地旅客來港的“一簽多行”安排？")
    assert answer.abstained and answer.bodies == []
    assert answer.answer.startswith("資料庫中沒有團體提出這項建議")


def test_which_bodies_names_no_body_for_a_compound_no_passage_has(shared_pipeline) -> None:
    # 推行 and 工作 are everywhere; a four-day work week (工作周, which jieba cuts) is in no passage
    answer = shared_pipeline.ask("哪些團體建議推行四天工作周？")
    assert answer.abstained and answer.bodies == []


def test_which_bodies_names_no_body_from_chinese_text_missing_the_thing_asked(shared_pipeline) -> None:
    # CMA's passages name 中環海濱 (a venue), none a night market: no body is said to propose one
    answer = shared_pipeline.ask("有冇團體建議喺海濱搞夜市？")
    assert answer.bodies == [] and answer.abstained


def test_how_many_question_abstains_when_no_passage_states_a_number(shared_pipeline) -> None:
    # BPA says the low-altitude economy creates jobs, but gives no figure.
    answer = shared_pipeline.ask("How many jobs will the low-altitude economy create according to BPA?")
    assert answer.abstained


def test_english_question_about_a_topic_the_named_body_never_mentions_abstains(shared_pipeline) -> None:
    answer = shared_pipeline.ask("What does FHKI suggest about the silver economy?")  # a dev-split topic (c034)
    assert answer.abstained and answer.bodies == []



def test_which_bodies_in_english_names_no_body_when_a_key_word_is_found_nowhere(shared_pipeline) -> None:
    # "tax" is read, "sugar" is in no glossary entry and no passage: a sugar tax is not shown anywhere
    answer = shared_pipeline.ask("Which bodies propose a sugar tax?")
    assert answer.abstained and answer.bodies == []
    assert answer.answer.startswith("None of the bodies") and "“sugar”" in answer.answer and "(tax)" in answer.answer
    assert answer.sources  # the closest passages, offered as possibly related
    food = shared_pipeline.ask("Which bodies propose a food industrial park?")
    assert not any("found neither in the glossary" in w for w in food.warnings)


def test_which_bodies_in_english_reading_only_everyday_words_names_no_body(shared_pipeline) -> None:
    # "building" alone is read; "casino" and "Lantau" are in no glossary entry and no passage
    answer = shared_pipeline.ask("Which bodies propose building a casino on Lantau?")
    assert answer.abstained and answer.bodies == []
    assert "“casino”, “lantau”" in answer.answer and "(building)" in answer.answer
    # everyday words alone still answer when every word was read
    attract = shared_pipeline.ask("Which bodies want to attract enterprises to settle in Hong Kong?")
    assert not attract.abstained and attract.bodies
