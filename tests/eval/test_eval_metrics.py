"""Metrics against hand-computed cases, and Hit/MRR/nDCG/Recall against ir_measures (trec_eval)."""

from __future__ import annotations

import math
import random

import ir_measures
import pytest
from ir_measures import RR, R, Success, nDCG

from eval import metrics as m

EV = ["香港食品產業園", "輸入勞工", "低空經濟"]


def test_evidence_matches_ignores_whitespace_stars_and_width():
    texts = ["建立「香港 食品\n產業園」", "**輸入**勞工與低空經濟", "無關段落", "ＡＢＣ"]
    assert m.evidence_matches(texts, [*EV, "ABC"]) == [frozenset({0}), frozenset({1, 2}), frozenset(), frozenset({3})]


def test_hand_computed_ranking():
    # ranks: 1 irrelevant, 2 has ev0, 3 irrelevant, 4 has ev1+ev2, 5 has ev0 again
    matches = [frozenset(), frozenset({0}), frozenset(), frozenset({1, 2}), frozenset({0})]
    assert m.hit_at_k(matches, 1) == 0.0
    assert m.hit_at_k(matches, 2) == 1.0
    assert m.recall_at_k(matches, 3, 2) == pytest.approx(1 / 3)
    assert m.recall_at_k(matches, 3, 5) == 1.0
    assert m.reciprocal_rank(matches, 10) == 0.5
    assert m.reciprocal_rank(matches, 1) == 0.0
    dcg = 1 / math.log2(3) + 1 / math.log2(5) + 1 / math.log2(6)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)  # three evidence items → three ideal relevant chunks
    assert m.ndcg_at_k(matches, 3, 10) == pytest.approx(dcg / idcg)


def test_ndcg_ideal_is_capped_at_k_and_never_exceeds_one():
    assert m.ndcg_at_k([frozenset({0}), frozenset({1})], 5, 2) == pytest.approx(1.0)  # ideal capped at k=2
    duplicates = [frozenset({0}), frozenset({0}), frozenset({0})]  # overlapping chunks, one evidence item
    assert m.ndcg_at_k(duplicates, 1, 10) == pytest.approx(1.0)


def test_empty_ranking_scores_zero():
    assert m.hit_at_k([], 5) == 0.0
    assert m.recall_at_k([], 2, 5) == 0.0
    assert m.reciprocal_rank([]) == 0.0
    assert m.ndcg_at_k([], 2) == 0.0


def test_recall_without_evidence_raises():
    with pytest.raises(ValueError, match="at least one evidence"):
        m.recall_at_k([frozenset()], 0, 5)


def test_retrieval_scores_keys_follow_k():
    scores = m.retrieval_scores(["x", "含有低空經濟"], ["低空經濟"], k=3)
    assert scores == {
        "hit@1": 0.0,
        "hit@3": 1.0,
        "recall@3": 1.0,
        "mrr@10": 0.5,
        "ndcg@10": pytest.approx(1 / math.log2(3)),
    }


def _synthetic_run(seed: int = 7, n_queries: int = 40):
    """Each evidence item lives in exactly one chunk, so contract relevance equals trec_eval qrels."""
    rng = random.Random(seed)
    qrels, run, ours = [], [], []
    for q in range(n_queries):
        n_ev = rng.randint(1, 4)
        pool = [f"c{q}_{i}" for i in range(30)]
        relevant = rng.sample(pool, n_ev)
        qrels += [ir_measures.Qrel(f"q{q}", doc, 1) for doc in relevant]
        ranked = rng.sample(pool, 10)
        run += [ir_measures.ScoredDoc(f"q{q}", doc, 100.0 - r) for r, doc in enumerate(ranked)]
        ours.append(([frozenset({relevant.index(d)}) if d in relevant else frozenset() for d in ranked], n_ev))
    return qrels, run, ours


def test_metrics_agree_with_ir_measures():
    qrels, run, ours = _synthetic_run()
    ref = ir_measures.calc_aggregate([Success @ 1, Success @ 5, R @ 5, RR @ 10, nDCG @ 10], qrels, run)
    n = len(ours)
    assert sum(m.hit_at_k(x, 1) for x, _ in ours) / n == pytest.approx(ref[Success @ 1])
    assert sum(m.hit_at_k(x, 5) for x, _ in ours) / n == pytest.approx(ref[Success @ 5])
    assert sum(m.recall_at_k(x, e, 5) for x, e in ours) / n == pytest.approx(ref[R @ 5])
    assert sum(m.reciprocal_rank(x, 10) for x, _ in ours) / n == pytest.approx(ref[RR @ 10])
    assert sum(m.ndcg_at_k(x, e, 10) for x, e in ours) / n == pytest.approx(ref[nDCG @ 10])


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        (["CMA", "FHKI"], ["CMA", "FHKI"], (1.0, 1.0, 1.0)),
        (["CMA", "FHKI", "BPA"], ["CMA", "FHKI"], (2 / 3, 1.0, 0.8)),
        (["CMA"], ["CMA", "FHKI"], (1.0, 0.5, 2 / 3)),
        ([], ["CMA"], (0.0, 0.0, 0.0)),
        (["BPA"], ["CMA"], (0.0, 0.0, 0.0)),
        ([], [], (1.0, 1.0, 1.0)),
    ],
)
def test_body_prf(predicted, gold, expected):
    assert m.body_prf(predicted, gold) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"answer": "No passage in the corpus answers this question."}, False),  # the wording decides nothing
        ({"answer": "資料庫中沒有", "abstained": False}, False),
        ({"answer": "Here is what CMA says [1]", "abstained": True}, True),
        ({}, False),
    ],
)
def test_is_abstention(answer, expected):
    assert m.is_abstention(answer) is expected


def test_abstention_rates():
    rates = m.abstention_rates([True, False, True, False], [False, False, True, True])
    assert rates == {"abstention_accuracy": 0.5, "false_abstention_rate": 0.5}
    assert m.abstention_rates([False], [True])["abstention_accuracy"] is None


def test_citation_exactness():
    docs = {"d1": ("原文：香港 食品產業園的建議。", "原文：香港食品產業園的建議。")}
    sources = [
        {"doc_id": "d1", "text": "香港食品產業園的建議。", "quote": "香港食品\n產業園"},  # ok, whitespace aside
        {"doc_id": "d1", "text": "香港食品產業園的建議。", "quote": "杜撰的句子"},  # not in text
        {"doc_id": "d2", "text": "香港食品產業園", "quote": "香港食品產業園"},  # unknown document
        {"doc_id": "d1", "text": "whatever", "quote": ""},  # no quote: not checked
    ]
    assert m.citation_exactness(sources, docs) == pytest.approx(1 / 3)
    assert m.citation_exactness([{"doc_id": "d1", "text": "x", "quote": ""}], docs) is None


def test_keyword_recall_looks_in_answer_and_quotes():
    assert m.keyword_recall(["54.3%", "品牌"], "About 54.3 % of firms", ["從品牌創建入手"]) == 1.0
    assert m.keyword_recall(["54.3%", "品牌"], "About half", []) == 0.0
    assert m.keyword_recall([], "anything") is None


def test_latency_percentiles_interpolate():
    assert m.latency_percentiles([10, 20, 30, 40, 50]) == {"p50_ms": 30.0, "p95_ms": 48.0}
    assert m.latency_percentiles([]) == {"p50_ms": None, "p95_ms": None}


def test_mean_skips_none():
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([None]) is None
