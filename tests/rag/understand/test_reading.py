"""Questions as members write them: colloquial (Cantonese) and addressing words read as written Chinese, and
whether a question names anything at all."""

from __future__ import annotations

import pytest

from rag.corpus.catalog import Catalog
from rag.pipeline import Pipeline
from rag.types import Language
from rag.understand.intent import Intent, classify, unknown_organisations
from rag.understand.reading import QuestionReader


@pytest.fixture(scope="module")
def reader(synthetic_pipeline: Pipeline) -> QuestionReader:
    """The synthetic pipeline's reader: its tokenizer keeps the lexicon's colloquial words whole."""
    return synthetic_pipeline.reader


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("點解茶商會要搞茶葉檢測？", "為什麼茶商會要做茶葉檢測？"),
        ("機械人協會有冇建議資助中小企？", "機械人協會有沒有建議資助中小企？"),
        ("茶商會同機械人協會嘅建議有咩唔同？", "茶商會和機械人協會的建議有什麼不同？"),
        ("HKRA 對 robots 同 SME 有乜建議？", "HKRA 對 robots 和 SME 有什麼建議？"),
        ("請問各商會對茶葉檢測有甚麼建議？", "各商會對茶葉檢測有甚麼建議？"),  # addressing names nothing
        ("機械人協會想資助邊類企業？", "機械人協會想資助哪類企業？"),
        ("茶商會想吸引幾多新人揸貨車？", "茶商會想吸引多少新人駕駛貨車？"),
        # jieba glues 同 to an unknown neighbour (隧同): the colloquial character is still read alone
        ("點解要將紅隧同西隧嘅收費拉開？", "為什麼要將紅隧和西隧的收費拉開？"),
    ],
)
def test_colloquial_and_addressing_words_are_read_as_written_chinese(question: str, written: str,
                                                                     reader: QuestionReader) -> None:
    assert reader.written(question) == written


def test_a_simplified_question_is_read_in_simplified(reader: QuestionReader) -> None:
    assert reader.written("点解茶商会要搞茶叶检测？", Language.ZH_HANS) == "为什么茶商会要做茶叶检测？"


def test_only_whole_words_are_read(reader: QuestionReader) -> None:
    # 同 in 共同 and 相同, 係 in 關係: part of another word, not "and" or "is"
    question = "兩會的建議有共同點，與政府的關係相同嗎？"
    assert reader.written(question) == question


def test_every_reading_is_a_word_the_tokenizer_keeps_whole(reader: QuestionReader, lexicon) -> None:
    for word in QuestionReader.terms(lexicon):
        assert len(reader.tokenizer.words(word)) == 1, word


@pytest.mark.parametrize("question", ["？？！", "😀😀", "…", "請問？", "Which bodies?", "What?", "哪些團體建議？"])
def test_a_question_of_no_word_that_names_anything_has_no_content(question: str, reader: QuestionReader) -> None:
    assert reader.content_words(reader.written(question)) == []


@pytest.mark.parametrize("question", ["茶商會？", "2025?", "robots", "茶葉檢測"])
def test_a_body_a_year_or_a_topic_is_content(question: str, reader: QuestionReader) -> None:
    assert reader.content_words(question)


def test_topic_words_leave_out_bodies_and_years(reader: QuestionReader) -> None:
    assert reader.topic_words("機械人協會2025年") == []
    assert "中小企" in reader.topic_words("機械人協會對中小企")


@pytest.mark.parametrize(
    ("colloquial", "written", "kind"),
    [
        ("茶商會同機械人協會嘅建議有咩唔同？", "茶商會和機械人協會的建議有什麼不同？", Intent.COMPARE),
        ("有冇團體建議設立茶葉檢測中心？", "有沒有團體建議設立茶葉檢測中心？", Intent.WHICH_BODIES),
        ("請問各商會對茶葉檢測有甚麼具體建議？", "各團體對茶葉檢測有甚麼具體建議？", Intent.WHICH_BODIES),
        ("邊個商會建議培訓茶藝人才？", "哪些商會建議培訓茶藝人才？", Intent.WHICH_BODIES),
    ],
)
def test_a_colloquial_question_has_its_written_twins_intent(colloquial: str, written: str, kind: Intent,
                                                            reader: QuestionReader, synthetic_catalog: Catalog,
                                                            lexicon) -> None:
    assert classify(reader.written(colloquial), synthetic_catalog, lexicon).kind is kind
    assert classify(written, synthetic_catalog, lexicon).kind is kind


@pytest.mark.parametrize("question", ["請問各商會對茶葉檢測有甚麼建議？", "想問邊個商會建議培訓茶藝人才？",
                                      "Which Chamber of Commerce proposes a tea testing centre?"])
def test_addressing_and_which_bodies_words_name_no_organisation(question: str, reader: QuestionReader,
                                                                synthetic_catalog: Catalog, lexicon) -> None:
    assert unknown_organisations(question, synthetic_catalog, lexicon) == []
    assert unknown_organisations(reader.written(question), synthetic_catalog, lexicon) == []
