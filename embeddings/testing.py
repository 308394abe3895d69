"""Test and benchmark helpers: a tiny real sentence-transformers model built offline, and a counting embedder.

The machine that runs the tests has no internet, so the real loading path is exercised with a model we build:
a WordPiece tokenizer trained on the corpus (Chinese characters split one by one) plus some English, and a
randomly initialised 2-layer BERT with mean pooling. Its vectors mean nothing; its files are real.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from embeddings.model import BaseEmbedder, Embedder
from rag.config import DEFAULT_CORPUS_DIR

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TINY_HIDDEN = 32
TINY_MAX_LENGTH = 128

# English the tokenizer should know besides the corpus: prefixes and typical question words.
_ENGLISH_SAMPLE = """\
query: passage: Which bodies propose a food industrial park in Hong Kong?
What does the Chinese Manufacturers' Association recommend about land, tax, talent and innovation?
The Federation of Hong Kong Industries supports reindustrialisation, technology and the Greater Bay Area.
Represent this sentence for searching relevant passages: policy address budget submission proposal
"""


def corpus_texts(corpus_dir: Path | None = None) -> list[str]:
    """The text of every corpus document: the files the catalog lists, else every .txt file."""
    folder = corpus_dir or DEFAULT_CORPUS_DIR
    catalog = folder / "catalog.toml"
    if catalog.is_file():
        entries = tomllib.loads(catalog.read_text(encoding="utf-8")).get("documents", [])
        paths = [folder / entry["file"] for entry in entries if "file" in entry]
    else:
        paths = sorted(folder.glob("*.txt"))
    return [path.read_text(encoding="utf-8") for path in paths if path.is_file()]


def split_into_pieces(texts: Iterable[str], size: int = 300) -> list[str]:
    """Cut texts into pieces of about `size` characters at line breaks: a stand-in for real chunks."""
    pieces: list[str] = []
    for text in texts:
        current = ""
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if current and len(current) + len(line) > size:
                pieces.append(current)
                current = ""
            current = f"{current}\n{line}" if current else line
            while len(current) > size * 2:  # a very long line: cut it hard
                pieces.append(current[:size])
                current = current[size:]
        if current:
            pieces.append(current)
    return pieces


def build_tiny_model(directory: Path | str, corpus_dir: Path | None = None, seed: int = 0) -> Path:
    """Build a tiny sentence-transformers model and save it in `directory`; returns that folder.

    Loads with `SentenceTransformer(directory)` like any saved model. Takes a few seconds on one CPU core.
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizer

    directory = Path(directory)
    texts = [*corpus_texts(corpus_dir), _ENGLISH_SAMPLE]

    wordpiece = BertWordPieceTokenizer(clean_text=True, handle_chinese_chars=True, lowercase=True)
    # limit_alphabet is generous so every corpus character gets its own id instead of [UNK].
    wordpiece.train_from_iterator(
        texts, vocab_size=6000, min_frequency=1, limit_alphabet=5000, special_tokens=SPECIAL_TOKENS
    )
    vocab = wordpiece.get_vocab()

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=TINY_HIDDEN,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=TINY_MAX_LENGTH,
        pad_token_id=vocab["[PAD]"],
    )
    with tempfile.TemporaryDirectory(prefix="tiny-bert-") as scratch:
        BertModel(config).save_pretrained(scratch)
        tokenizer = BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=TINY_MAX_LENGTH)
        tokenizer.save_pretrained(scratch)
        transformer = Transformer(scratch, max_seq_length=TINY_MAX_LENGTH)
        pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
        model = SentenceTransformer(modules=[transformer, pooling], device="cpu")
        if directory.exists():
            shutil.rmtree(directory)
        model.save(str(directory))
    return directory


class CountingEmbedder(BaseEmbedder):
    """Wraps an embedder and counts the texts it is asked to embed, to prove what a cache saved."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__(
            inner.name,
            inner.dim,
            inner.query_prefix,
            inner.passage_prefix,
            batch_size=getattr(inner, "batch_size", 32),
            revision=getattr(inner, "revision", ""),
        )
        self.inner = inner
        self.calls = 0
        self.texts: list[str] = []

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        if is_query:
            return self.inner.embed_queries(texts)
        return self.inner.embed_passages(texts, progress=False)

    def reset(self) -> None:
        self.calls = 0
        self.texts = []


def build_tiny_cross_encoder(directory: Path | str, embedding_model_dir: Path | str, seed: int = 0) -> Path:
    """A tiny random cross-encoder (reranker) sharing the tiny embedding model's tokenizer; for tests only."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    tokenizer = BertTokenizer.from_pretrained(str(embedding_model_dir))
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=TINY_HIDDEN,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=TINY_MAX_LENGTH,
        num_labels=1,
    )
    directory = Path(directory)
    BertForSequenceClassification(config).save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    return directory
