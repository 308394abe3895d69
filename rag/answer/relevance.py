"""How much of a question a passage covers: IDF-weighted share of the question's tokens found in it.

BM25 scores rank well but are not comparable across questions; coverage is (0–1), so one calibrated
threshold can decide "nothing relevant" (abstain) and "this body really proposes it".
"""

from __future__ import annotations

import math
from collections import Counter


class Coverage:
    def __init__(self, chunk_tokens: list[list[str]]) -> None:
        self.sets = [frozenset(tokens) for tokens in chunk_tokens]
        self.n = len(self.sets)
        df = Counter(token for tokens in self.sets for token in tokens)
        self.idf = {token: math.log(1 + (self.n - count + 0.5) / (count + 0.5)) for token, count in df.items()}
        self.unknown_idf = math.log(1 + (self.n + 0.5) / 0.5)

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
