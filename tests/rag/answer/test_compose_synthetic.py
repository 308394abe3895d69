"""The extractive composer end to end on the synthetic corpus (tests/rag/conftest.py), lexical retrieval."""

from __future__ import annotations

import pytest

from rag.pipeline import Pipeline
from rag.types import Answer, Mode
from rag.understand.query import QuestionError


def cited(answer: Answer) -> list:
    return [s for s in answer.sources if f"[{s.n}]" in answer.answer]


def test_the_index_has_one_chunk_per_section(synthetic_pipeline: Pipeline) -> None:
    sections = [(c.doc_id, c.section) for c in synthetic_pipeline.chunks]
    assert sections == [(doc, s) for doc in ("tea_2024", "tea_2025", "rob_2025") for s in ("1", "2")]


def test_an_ordinary_answer_cites_the_right_passage_verbatim(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("每名茶藝學徒每月資助多少？")
    assert not answer.abstained and answer.mode is Mode.LEXICAL
    first = cited(answer)[0]
    assert (first.doc_id, first.section, first.body, first.year) == ("tea_2025", "2", "TCC", 2025)
    assert first.quote == "本會建議職業訓練局開辦茶藝文憑課程，並資助茶莊聘請學徒，每名學徒每月資助3,000元，為期兩年。"
    assert first.quote in synthetic_pipeline.documents["tea_2025"]
    assert f"「{first.quote}」 [{first.n}]" in answer.answer


@pytest.mark.parametrize("question", [
    # the industrial park's passage states the question and no sum; the HK$500,000 cap is another scheme's
    "機械人協會建議的機械人產業園，每家企業可獲多少資助？",
    # a fee is asked for: the testing centre's passages state a waiting time of five working days, no fee
    "茶商會建議的茶葉檢測中心，每份報告收費多少？",
])
def test_a_how_much_question_is_not_answered_with_a_number_about_something_else(
        synthetic_pipeline: Pipeline, question: str) -> None:
    assert synthetic_pipeline.ask(question).abstained


def test_a_how_much_question_is_answered_from_the_passage_about_it_that_states_the_sum(
        synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("機械人協會建議的自動化升級資助計劃，每家企業的資助上限是多少？")
    assert not answer.abstained
    assert (cited(answer)[0].doc_id, cited(answer)[0].section) == ("rob_2025", "2")


def test_a_question_naming_a_body_is_answered_from_that_body(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("茶商會對培訓茶藝人才有甚麼建議？")
    assert not answer.abstained and answer.language == "zh-Hant"
    assert [(s.doc_id, s.section) for s in cited(answer)][:1] == [("tea_2025", "2")]
    assert {s.body for s in cited(answer)} == {"TCC"}


def test_an_english_question_is_answered_in_english_from_chinese_passages(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("What does the Tea Chamber propose about a testing centre?")
    assert answer.language == "en" and answer.answer.startswith("From the submissions in the corpus")
    assert {(s.doc_id, s.section) for s in cited(answer)} == {("tea_2024", "1"), ("tea_2025", "1")}
    for source in answer.sources:
        assert source.quote in synthetic_pipeline.documents[source.doc_id]


@pytest.mark.parametrize(
    "question", ["哪些團體建議設立機械人產業園？", "Which bodies propose a robotics industrial park?"]
)
def test_which_bodies_names_only_the_body_that_proposes(synthetic_pipeline: Pipeline, question: str) -> None:
    answer = synthetic_pipeline.ask(question)
    assert answer.bodies == ["HKRA"] and not answer.abstained
    assert {s.body for s in cited(answer)} == {"HKRA"}
    assert cited(answer)[0].section == "1"


def test_which_bodies_says_which_bodies_are_silent(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("哪些團體建議設立機械人產業園？")
    assert answer.answer.startswith("資料庫 2 個團體中，有 1 個提出這項建議：機械人協會。")
    assert "以下團體的文件中沒有相關建議：茶商會。" in answer.answer


@pytest.mark.parametrize("question", ["哪些團體建議興建賽馬場？", "茶商會對最低工資有何建議？"])
def test_a_topic_no_document_mentions_abstains(synthetic_pipeline: Pipeline, question: str) -> None:
    answer = synthetic_pipeline.ask(question)
    assert answer.abstained and answer.bodies == []
    assert "資料庫中沒有段落回答這個問題" in answer.answer


def test_body_and_year_filters_restrict_the_sources(synthetic_pipeline: Pipeline) -> None:
    unfiltered = synthetic_pipeline.ask("本會建議設立甚麼？", top_k=6)
    assert {s.body for s in unfiltered.sources} == {"TCC", "HKRA"}
    only_tea_2025 = synthetic_pipeline.ask("本會建議設立甚麼？", top_k=6, bodies=["TCC"], years=[2025])
    assert only_tea_2025.sources and {(s.body, s.year) for s in only_tea_2025.sources} == {("TCC", 2025)}
    one_document = synthetic_pipeline.ask("本會建議設立甚麼？", top_k=6, doc_ids=["rob_2025"])
    assert one_document.sources and {s.doc_id for s in one_document.sources} == {"rob_2025"}


def test_a_filter_naming_an_unknown_body_lists_the_known_ones(synthetic_pipeline: Pipeline) -> None:
    with pytest.raises(QuestionError, match="Known bodies: HKRA, TCC"):
        synthetic_pipeline.ask("茶葉檢測", bodies=["CMA"])


def test_a_follow_up_retargets_the_body_of_the_previous_answer(synthetic_pipeline: Pipeline) -> None:
    first = synthetic_pipeline.ask("茶商會對設立產業園有甚麼建議？")
    follow = synthetic_pipeline.ask("那機械人協會呢？", history=[first])
    assert follow.resolved_question == "機械人協會對設立產業園有甚麼建議？"
    assert cited(follow) and {s.body for s in cited(follow)} == {"HKRA"}


def test_what_about_a_year_narrows_the_sources_to_that_year(synthetic_pipeline: Pipeline) -> None:
    first = synthetic_pipeline.ask("What does the Tea Chamber propose about a tea testing centre?")
    follow = synthetic_pipeline.ask("What about 2025?", history=[("q", first)])
    assert follow.language == "en" and follow.sources
    assert {s.year for s in follow.sources} == {2025}


@pytest.mark.parametrize(("question", "verb"), [("Which bodies mention a robotics industrial park?", "mention"),
                                                ("哪些團體提及機械人產業園？", "提及")])
def test_a_question_about_mentions_is_answered_with_mention_not_propose(synthetic_pipeline: Pipeline,
                                                                       question: str, verb: str) -> None:
    answer = synthetic_pipeline.ask(question)
    assert answer.bodies == ["HKRA"] and verb in answer.answer.splitlines()[0]
    assert "propose" not in answer.answer.splitlines()[0] and "建議" not in answer.answer.splitlines()[0]


def test_question_words_weigh_nothing_in_a_questions_topic(synthetic_pipeline: Pipeline) -> None:
    """How a question is put (有何不同, 兩者) is no topic for token coverage either: one list decides it for concepts
    and for tokens (corpus/lexicon: framing and question_words)."""
    from rag.understand.query import build_query

    p = synthetic_pipeline
    composer = p._composer(lambda q, k, f: p.retrieve(q, k, Mode.LEXICAL, f)[0])
    query = build_query("兩者對茶葉檢測中心的建議有何不同？", p.tokenizer, p.glossary, p.body_names, p.unsearched)
    weights = composer.topic_weights(query)
    question_words = {t for w in p.lexicon.question_words for t in p.tokenizer.tokenize(w)}
    assert weights and not set(weights) & question_words
    assert {"有何", "不同", "两者"} <= question_words  # folded tokens, as the weights are keyed


@pytest.mark.parametrize("question", [
    "機械人協會建議的 robotics industrial park 設在哪裏？",
    "機械人協會提的 automation upgrade subsidy，每家企業最多拿到多少？",
    "茶商會提的 tea testing centre 會化驗甚麼？",
])
def test_a_chinese_question_naming_its_topic_in_english_is_answered(synthetic_pipeline: Pipeline,
                                                                     question: str) -> None:
    # the English name's Chinese wordings are alternatives (產業園 / 工業園區), judged by the concepts: the Chinese
    # passage need not hold every one of them, nor the question's English words
    answer = synthetic_pipeline.ask(question)
    assert not answer.abstained and cited(answer) and cited(answer)[0].body in {"TCC", "HKRA"}


@pytest.mark.parametrize("question", ["茶商會對 minimum wage 有甚麼建議？", "機械人協會提的 casino licence 每年收費多少？"])
def test_a_chinese_question_naming_an_absent_topic_in_english_abstains(synthetic_pipeline: Pipeline,
                                                                       question: str) -> None:
    assert synthetic_pipeline.ask(question).abstained


@pytest.mark.parametrize(("question", "year", "lead"), [
    ("茶商會2024年對茶葉檢測中心有甚麼建議？", 2024, "在茶商會2024年的文件中"),
    ("What did the Tea Chamber propose on the tea testing centre in 2025?", 2025, "In TCC's 2025 submission"),
])
def test_a_body_and_a_year_named_in_the_question_narrow_the_answer_to_that_paper(
        synthetic_pipeline: Pipeline, question: str, year: int, lead: str) -> None:
    answer = synthetic_pipeline.ask(question)
    assert not answer.abstained and answer.answer.startswith(lead)
    assert {(s.body, s.year) for s in cited(answer)} == {("TCC", year)}


def test_a_year_in_a_question_about_two_years_narrows_nothing(synthetic_pipeline: Pipeline) -> None:
    answer = synthetic_pipeline.ask("茶商會在2024年和2025年對茶葉檢測中心的建議有何不同？")
    assert {s.year for s in cited(answer)} == {2024, 2025}


def test_a_name_only_another_body_writes_is_no_answer_about_this_one(synthetic_pipeline: Pipeline) -> None:
    # 「茶莊」 are the Tea Chamber's; the Robotics Association's automation grant states the rest of the question
    assert not synthetic_pipeline.ask("機械人協會建議怎樣資助茶莊的自動化升級？").abstained  # a word: may be reworded
    assert synthetic_pipeline.ask("機械人協會建議怎樣資助「茶莊」的自動化升級？").abstained  # a name: written alike
    assert not synthetic_pipeline.ask("茶商會建議怎樣協助茶莊負擔化驗費用？").abstained  # the Tea Chamber's own word
