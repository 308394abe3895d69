"""Two reference retrievers the project must beat, on the same questions; each returns ranked chunk texts.

- `llama_index_bm25`: llama-index out of the box. Whole documents as `rag.corpus.loader.read_text` returns them →
  `SentenceSplitter()` defaults → `BM25Retriever.from_defaults(nodes=..., similarity_top_k=10)`, untouched
  (its English tokenizer and stemmer see a run of Chinese characters as one token, so many scores are 0;
  results are kept exactly as returned, zero scores included).
- `fixed_size_bm25`: the cleaned text of each document ("\\n".join of `clean_lines` texts) cut into windows
  of 400 characters with a 50-character overlap (stride 350; any evidence of up to 50 characters lies whole
  in some window), indexed with bm25s over `rag.text.tokenize.Tokenizer.from_corpus` tokens.

Indexes are built once per process and corpus folder.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from eval.corpus import cleaned_documents, raw_documents
from rag.config import DEFAULT_CORPUS_DIR
from rag.text.tokenize import Tokenizer

Retrieve = Callable[[str, int], list[str]]

LLAMA_TOP_K = 10
WINDOW_CHARS = 400
OVERLAP_CHARS = 50


def llama_index_bm25(question: str, k: int = LLAMA_TOP_K, corpus_dir: Path = DEFAULT_CORPUS_DIR) -> list[str]:
    """Ranked chunk texts from the llama-index default BM25 (at most 10: its similarity_top_k)."""
    results = _llama_retriever(corpus_dir).retrieve(question)
    return [r.node.get_content() for r in results][:k]


def fixed_size_bm25(question: str, k: int = 10, corpus_dir: Path = DEFAULT_CORPUS_DIR) -> list[str]:
    """Ranked texts of 400-character windows by jieba BM25; chunks scoring 0 are left out."""
    retriever, tokenize, windows = _fixed_index(corpus_dir)
    vocab = retriever.vocab_dict
    tokens = [t for t in tokenize(question) if t in vocab]
    if not tokens:
        return []
    scores = retriever.get_scores(tokens)
    order = np.argsort(-scores, kind="stable")[:k]
    return [windows[i] for i in order if scores[i] > 0]


BASELINES: dict[str, Retrieve] = {
    "llama_index_bm25": llama_index_bm25,
    "fixed_size_bm25": fixed_size_bm25,
}


def describe(name: str, corpus_dir: Path = DEFAULT_CORPUS_DIR) -> str:
    """One line for reports saying what a baseline is."""
    if name == "llama_index_bm25":
        return "llama-index defaults: SentenceSplitter() + BM25Retriever.from_defaults(similarity_top_k=10)"
    if name == "fixed_size_bm25":
        kind = _tokenizer(corpus_dir)[1]
        return f"{WINDOW_CHARS}-char windows, {OVERLAP_CHARS}-char overlap, bm25s over {kind} tokens"
    raise KeyError(f"Unknown baseline '{name}'; known: {', '.join(BASELINES)}.")


def fixed_windows(text: str, size: int = WINDOW_CHARS, overlap: int = OVERLAP_CHARS) -> list[str]:
    """Consecutive windows of `size` characters, each starting `size - overlap` after the previous."""
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError("size must be positive and overlap between 0 and size - 1.")
    stride = size - overlap
    starts = range(0, max(len(text) - overlap, 1), stride)
    return [text[s : s + size] for s in starts if text[s : s + size].strip()]


@cache
def _llama_retriever(corpus_dir: Path):
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.retrievers.bm25 import BM25Retriever

    documents = [Document(text=text, metadata={"doc_id": doc_id}) for doc_id, text in raw_documents(corpus_dir).items()]
    nodes = SentenceSplitter().get_nodes_from_documents(documents)
    return BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=LLAMA_TOP_K)


@cache
def _fixed_index(corpus_dir: Path) -> tuple[object, Callable[[str], list[str]], list[str]]:
    import bm25s

    tokenize = _tokenizer(corpus_dir)[0]
    windows = [w for text in cleaned_documents(corpus_dir).values() for w in fixed_windows(text)]
    retriever = bm25s.BM25()
    retriever.index([tokenize(w) or ["∅"] for w in windows], show_progress=False)
    return retriever, tokenize, windows


@cache
def _tokenizer(corpus_dir: Path) -> tuple[Callable[[str], list[str]], str]:
    """The project tokenizer with the corpus user terms and stopwords, and its name."""
    return Tokenizer.from_corpus(corpus_dir).tokenize, "rag.text.tokenize.Tokenizer"
