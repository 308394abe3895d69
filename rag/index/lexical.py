"""BM25 over jieba tokens (bm25s), with the tokenizer as a hook."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.text.tokenize import Tokenizer
from rag.types import ScoredChunk


class LexicalIndex:
    """bm25s BM25 with our own tokens: the corpus is indexed once, queries are scored against all chunks."""

    CACHED_QUERIES = 64

    def __init__(self, retriever, tokenizer: Tokenizer) -> None:
        self._bm25 = retriever
        self.tokenizer = tokenizer
        # One answer scores the same question many times (once per body for which-bodies, per side of a
        # comparison, again for the global ranking), each time over every chunk; filters only mask the result.
        self._scored = lru_cache(maxsize=self.CACHED_QUERIES)(self._score)

    @classmethod
    def build(
        cls, tokens: list[list[str]], tokenizer: Tokenizer, k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        """Index pre-tokenized chunks (tokenizer.tokenize of each chunk's lexical text)."""
        import bm25s

        retriever = bm25s.BM25(k1=k1, b=b)
        retriever.index([t or ["∅"] for t in tokens], show_progress=False)
        return cls(retriever, tokenizer)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(directory), show_progress=False, verbosity=0), tokenizer)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for these tokens (zeros when no token is known)."""
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return self._bm25.get_scores(known)

    def combined_scores(self, query_tokens: list[str], also: list[str] | None = None,
                        loose: list[str] | None = None, loose_weight: float = 1.0) -> np.ndarray:
        """Every chunk's score for the question (see `search`); the last `CACHED_QUERIES` are kept, read-only."""
        return self._scored(tuple(query_tokens), tuple(also or ()), tuple(loose or ()), loose_weight)

    def _score(self, query_tokens: tuple[str, ...], also: tuple[str, ...], loose: tuple[str, ...],
               loose_weight: float) -> np.ndarray:
        scores = self.scores(list(query_tokens))
        if loose and loose_weight:
            scores = scores + loose_weight * self.scores(list(loose))
        if also:
            scores = np.maximum(scores, self.scores(list(also)))
        scores.flags.writeable = False
        return scores

    def search(self, query_tokens: list[str], top_k: int, allowed: np.ndarray | None = None,
               also: list[str] | None = None, loose: list[str] | None = None,
               loose_weight: float = 1.0) -> list[ScoredChunk]:
        """The best chunks for the tokens; with `also` (another reading of the same question, in another language),
        each chunk scores the better of the two readings; `loose` tokens (looser wordings of the question's words)
        add their score times `loose_weight`."""
        scores = self.combined_scores(query_tokens, also, loose, loose_weight)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:top_k]
        return [ScoredChunk(int(i), float(scores[i])) for i in order if scores[i] > 0]
