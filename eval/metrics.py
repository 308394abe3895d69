"""Evaluation metrics: retrieval (Hit, Recall, MRR, nDCG), answers (bodies, abstention, citations, keywords).

Relevance follows the contract: a retrieved chunk is relevant to an evidence item when
match_key(evidence text) is in match_key(chunk text). Retrieval functions take `matches`: for each ranked
chunk, best first, the set of evidence indices it contains (see `evidence_matches`).

nDCG@k uses binary gain per chunk (relevant when it contains any evidence item) and the log2(rank + 1)
discount. The ideal DCG assumes as many relevant chunks as there are evidence items, capped at k, and raised
to the number of relevant chunks actually retrieved in the top k when that is larger (overlapping or
duplicate chunks holding the same evidence), so the score never exceeds 1. With one chunk per evidence
item this is exactly trec_eval's nDCG@k (checked against ir_measures in the tests).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from rag.text.normalize import match_key

Matches = Sequence[frozenset[int]]


def evidence_matches(ranked_texts: Sequence[str], evidence_texts: Sequence[str]) -> list[frozenset[int]]:
    """For each ranked chunk text, the indices of the evidence texts it contains."""
    keys = [match_key(text) for text in evidence_texts]
    out = []
    for text in ranked_texts:
        chunk = match_key(text)
        out.append(frozenset(i for i, key in enumerate(keys) if key and key in chunk))
    return out


def hit_at_k(matches: Matches, k: int) -> float:
    """1.0 when any of the top k chunks is relevant."""
    return 1.0 if any(matches[:k]) else 0.0


def recall_at_k(matches: Matches, n_evidence: int, k: int) -> float:
    """Share of the evidence items contained in at least one of the top k chunks."""
    if n_evidence <= 0:
        raise ValueError("recall needs at least one evidence item.")
    found = set().union(*matches[:k]) if matches[:k] else set()
    return len(found) / n_evidence


def reciprocal_rank(matches: Matches, k: int = 10) -> float:
    """1 / rank of the first relevant chunk within the top k, else 0 (MRR@k once averaged)."""
    for rank, found in enumerate(matches[:k], 1):
        if found:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(matches: Matches, n_evidence: int, k: int = 10) -> float:
    """Binary-gain nDCG@k; the ideal is explained in the module docstring."""
    if n_evidence <= 0:
        raise ValueError("nDCG needs at least one evidence item.")
    gains = [1.0 if found else 0.0 for found in matches[:k]]
    dcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))
    n_ideal = min(k, max(n_evidence, int(sum(gains))))
    idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, n_ideal + 1))
    return dcg / idcg


def retrieval_scores(ranked_texts: Sequence[str], evidence_texts: Sequence[str], k: int = 5) -> dict[str, float]:
    """The headline retrieval metrics of one question: hit@1, hit@k, recall@k, mrr@10, ndcg@10."""
    matches = evidence_matches(ranked_texts, evidence_texts)
    n = len(evidence_texts)
    return {
        "hit@1": hit_at_k(matches, 1),
        f"hit@{k}": hit_at_k(matches, k),
        f"recall@{k}": recall_at_k(matches, n, k),
        "mrr@10": reciprocal_rank(matches, 10),
        "ndcg@10": ndcg_at_k(matches, n, 10),
    }


def body_prf(predicted: Iterable[str], gold: Iterable[str]) -> tuple[float, float, float]:
    """Precision, recall, F1 of the bodies an answer names; empty prediction: 0 (1 when gold is empty too)."""
    pred, want = set(predicted), set(gold)
    if not pred and not want:
        return 1.0, 1.0, 1.0
    right = len(pred & want)
    precision = right / len(pred) if pred else 0.0
    recall = right / len(want) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def is_abstention(answer: Mapping[str, Any]) -> bool:
    """Whether an answer declines: the contract's `abstained` flag (never the answer's wording)."""
    return answer.get("abstained") is True


def abstention_rates(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float | None]:
    """Abstention accuracy on unanswerable questions and false-abstention rate on answerable ones."""
    if len(abstained) != len(answerable):
        raise ValueError("abstained and answerable must have the same length.")
    on_unanswerable = [a for a, ok in zip(abstained, answerable, strict=True) if not ok]
    on_answerable = [a for a, ok in zip(abstained, answerable, strict=True) if ok]
    return {
        "abstention_accuracy": mean([float(a) for a in on_unanswerable]),
        "false_abstention_rate": mean([float(a) for a in on_answerable]),
    }


def citation_exactness(sources: Sequence[Mapping[str, Any]], documents: Mapping[str, Sequence[str]]) -> float | None:
    """Share of sources with a non-empty quote whose quote is in the source text and in its document.

    `documents` maps doc_id to the texts the quote may come from (raw and cleaned); comparison is by
    match_key, so whitespace and `*` do not count. None when no source carries a quote.
    """
    checked = exact = 0
    for source in sources:
        quote = match_key(str(source.get("quote") or ""))
        if not quote:
            continue
        checked += 1
        in_text = quote in match_key(str(source.get("text", "")))
        in_doc = any(quote in match_key(text) for text in documents.get(str(source.get("doc_id")), ()))
        exact += in_text and in_doc
    return exact / checked if checked else None


def keyword_recall(keywords: Sequence[str], answer_text: str, quotes: Sequence[str] = ()) -> float | None:
    """Share of the gold answer keywords present in the answer text or its quotes; None without keywords."""
    if not keywords:
        return None
    haystack = match_key("\n".join([answer_text, *quotes]))
    return sum(match_key(kw) in haystack for kw in keywords) / len(keywords)


def latency_percentiles(latencies_ms: Sequence[float]) -> dict[str, float | None]:
    """p50 and p95 (linear interpolation between ranks), in milliseconds."""
    if not latencies_ms:
        return {"p50_ms": None, "p95_ms": None}
    values = np.asarray(latencies_ms, dtype=float)
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95))}


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
