"""Coverage: the IDF-weighted share of a question's tokens a passage contains, checked by hand."""

from __future__ import annotations

import math

import pytest

from rag.answer.relevance import Coverage, idf

PASSAGES = [["茶叶", "检测", "中心"], ["茶叶", "旅游"], ["机械人", "产业园"]]


# log(1 + (n - df + 0.5) / (df + 0.5)) for n = 3: 8, 8/3 and 8/7 inside the log.
@pytest.mark.parametrize(("n", "df", "expected"), [(3, 0, math.log(8)), (3, 1, math.log(8 / 3)), (3, 3, math.log(8 / 7))])
def test_idf_matches_hand_computed_bm25_values(n: int, df: int, expected: float) -> None:
    assert idf(n, df) == pytest.approx(expected)


def test_rarer_terms_weigh_more_and_unknown_terms_weigh_most() -> None:
    coverage = Coverage(PASSAGES)
    weights = coverage.weights(["茶叶", "检测", "咖啡"])
    assert weights["茶叶"] < weights["检测"] < weights["咖啡"] == coverage.unknown_idf == idf(3, 0)


def test_unknown_terms_can_be_dropped() -> None:
    assert Coverage(PASSAGES).weights(["茶叶", "咖啡"], drop_unknown=True) == {"茶叶": idf(3, 2)}


def test_repeated_question_tokens_count_once() -> None:
    coverage = Coverage(PASSAGES)
    assert coverage.weights(["茶叶", "茶叶", "检测"]) == coverage.weights(["茶叶", "检测"])


def test_coverage_is_the_weighted_share_of_question_tokens_in_the_passage() -> None:
    coverage = Coverage(PASSAGES)
    weights = coverage.weights(["茶叶", "检测"])
    assert coverage.of(weights, 0) == pytest.approx(1.0)
    assert coverage.of(weights, 1) == pytest.approx(idf(3, 2) / (idf(3, 2) + idf(3, 1)))
    assert coverage.of(weights, 2) == 0.0


def test_a_question_with_no_weighted_tokens_covers_nothing() -> None:
    assert Coverage(PASSAGES).of({}, 0) == 0.0
