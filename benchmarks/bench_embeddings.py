"""Dense-path timings on the shipped corpus: embedding throughput, FAISS build, query latency, save/load.

By default it builds the tiny test model (random 2-layer BERT, hidden 32) in a temporary folder, so the
numbers show the pipeline's overhead, not a production model's speed; pass --model with a local folder (or a
cached Hugging Face name) to time a real model. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/bench_embeddings.py [--model PATH] [--piece-chars 300] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from embeddings.cache import EmbeddingCache
from embeddings.model import Embedder, EmbeddingConfig, HashEmbedder, load_embedder
from embeddings.store import DenseIndex
from embeddings.testing import build_tiny_model, corpus_texts, split_into_pieces

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def bench_embedder(embedder: Embedder, pieces: list[str], queries: list[str], workdir: Path) -> None:
    ids = [f"piece#{n}" for n in range(len(pieces))]
    print(f"\n== {embedder.name} (dim {embedder.dim})")

    embedder.embed_passages(pieces[:8])  # warm-up: first call pays for lazy initialisation
    vectors, seconds = timed(lambda: embedder.embed_passages(pieces))
    print(f"embed passages     {len(pieces)} in {seconds:.2f} s = {len(pieces) / seconds:,.0f} passages/s")

    index, seconds = timed(lambda: DenseIndex.from_vectors(ids, vectors, embedder.name))
    print(f"FAISS build        {seconds * 1000:.1f} ms for {len(index)} vectors (llama-index FaissVectorStore)")

    cache = EmbeddingCache(workdir / "cache")
    _, cold = timed(lambda: DenseIndex.build(ids, pieces, embedder, cache))
    _, warm = timed(lambda: DenseIndex.build(ids, pieces, embedder, EmbeddingCache(workdir / "cache")))
    print(f"build with cache   cold {cold:.2f} s, warm (all cached, read from disk) {warm:.3f} s")

    _, seconds = timed(lambda: index.save(workdir / "dense"))
    loaded, load_seconds = timed(lambda: DenseIndex.load(workdir / "dense", expected_dim=embedder.dim))
    print(f"save / load        {seconds * 1000:.1f} ms / {load_seconds * 1000:.1f} ms")

    embed_ms: list[float] = []
    search_ms: list[float] = []
    for query in queries:
        vector, seconds = timed(lambda query=query: embedder.embed_queries([query])[0])
        embed_ms.append(seconds * 1000)
        _, seconds = timed(lambda vector=vector: loaded.search(vector, top_k=10))
        search_ms.append(seconds * 1000)
    total_ms = [a + b for a, b in zip(embed_ms, search_ms, strict=True)]
    for label, values in (
        ("query embed", embed_ms),
        ("FAISS search", search_ms),
        ("embed + search", total_ms),
    ):
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"{label:<18} p50 {p50:.2f} ms, p95 {p95:.2f} ms over {len(values)} queries (top_k=10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="local model folder or cached name (default: build the tiny model)")
    parser.add_argument("--piece-chars", type=int, default=300, help="approximate chunk size in characters")
    parser.add_argument("--queries", type=int, default=200, help="number of timed queries")
    args = parser.parse_args()

    pieces = list(dict.fromkeys(split_into_pieces(corpus_texts(), size=args.piece_chars)))
    rng = np.random.default_rng(0)
    picks = rng.choice(len(pieces), size=min(args.queries, len(pieces)), replace=False)
    queries = [pieces[i][:40] for i in picks]  # question-sized snippets of real text
    print(
        f"corpus: {len(pieces)} pieces of ~{args.piece_chars} chars "
        f"(mean {statistics.mean(map(len, pieces)):.0f}), {len(queries)} queries"
    )

    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as scratch:
        workdir = Path(scratch)
        if args.model:
            embedder, seconds = timed(lambda: load_embedder(EmbeddingConfig(model=args.model)))
            print(f"load model         {seconds:.2f} s")
        else:
            folder, seconds = timed(lambda: build_tiny_model(workdir / "tiny-model"))
            print(f"build tiny model   {seconds:.2f} s (includes importing torch and sentence-transformers)")
            embedder, seconds = timed(lambda: load_embedder(EmbeddingConfig(model=str(folder))))
            print(f"load model         {seconds:.2f} s")
        import torch

        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"torch threads      {torch.get_num_threads()} (load average {load}: other work skews timings)")
        bench_embedder(embedder, pieces, queries, workdir / "model")
        bench_embedder(HashEmbedder(dim=64), pieces, queries, workdir / "hash")


if __name__ == "__main__":
    main()
