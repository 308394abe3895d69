"""How much of a question a passage covers: IDF-weighted share of the question's tokens found in it.

BM25 scores rank well but are not comparable across questions; coverage is (0–1), so one calibrated
threshold can decide "nothing relevant" (abstain) and "this body really proposes it".
"""

from __future__ import annotations

import math
from collections import Counter


def idf(n: int, df: int) -> float:
    """BM25's inverse document frequency of a term found in `df` of `n` passages (df 0: the most a term weighs)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Coverage:
    def __init__(self, chunk_tokens: list[list[str]]) -> None:
        self.sets = [frozenset(tokens) for tokens in chunk_tokens]
        self.n = len(self.sets)
        df = Counter(token for tokens in self.sets for token in tokens)
        self.idf = {token: idf(self.n, count) for token, count in df.items()}
        self.unknown_idf = idf(self.n, 0)

    def weights(self, query_tokens: list[str], drop_unknown: bool = False) -> dict[str, float]:
        """IDF weight of each distinct question token; unknown tokens weigh most (or are dropped)."""
        out = {}
        for token in dict.fromkeys(query_tokens):
            if token in self.idf:
                out[token] = self.idf[token]
            elif not drop_unknown:
                out[token] = self.unknown_idf
        return out

    def of(self, weights: dict[str, float], position: int) -> float:
        total = sum(weights.values())
        if total == 0:
            return 0.0
        present = self.sets[position]
        return sum(w for token, w in weights.items() if token in present) / total
