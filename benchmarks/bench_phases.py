"""The measured phases of benchmarks/bench_retrieval.py; each runs in its own subprocess
(`bench_retrieval.py --phase NAME --params JSON`) and prints one tagged JSON line."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench_measure import (
    MODES,
    RESULT_TAG,
    TOP_K,
    Stages,
    dev_questions,
    folder_mb,
    mb,
    p50_p95,
    peak_rss_mb,
    stage_seconds,
    status_kb,
)
from scaled_corpus import write_scaled_corpus


def _query_latencies(pipeline, questions: list[str], modes: tuple[str, ...], warmup: int) -> dict:
    """Per mode: query parse, retrieve-only (Pipeline.retrieve on a parsed query) and full ask, in ms."""
    from rag.types import Mode
    from rag.understand.query import build_query

    out = {}
    parsed = []
    parse_ms = []
    for q in questions:
        t = time.perf_counter()
        parsed.append(build_query(q, pipeline.tokenizer, pipeline.glossary, pipeline.body_names, pipeline.unsearched))
        parse_ms.append((time.perf_counter() - t) * 1000)
    out["parse"] = p50_p95(parse_ms)
    for name in modes:
        mode = Mode(name)
        for q, query in zip(questions[:warmup], parsed[:warmup], strict=True):
            pipeline.retrieve(query, TOP_K, mode)
            pipeline.ask(q, top_k=TOP_K, mode=mode)
        retrieve_ms, ask_ms, ran = [], [], set()
        for query in parsed:
            t = time.perf_counter()
            _, actual, _ = pipeline.retrieve(query, TOP_K, mode)
            retrieve_ms.append((time.perf_counter() - t) * 1000)
            ran.add(actual.value)
        for q in questions:
            t = time.perf_counter()
            answer = pipeline.ask(q, top_k=TOP_K, mode=mode)
            ask_ms.append((time.perf_counter() - t) * 1000)
            ran.add(answer.mode)
        out[name] = {"retrieve": p50_p95(retrieve_ms), "ask": p50_p95(ask_ms), "ran": sorted(ran)}
    if "dense" in modes and pipeline.dense is not None:
        out["dense_parts"] = _dense_parts(pipeline, questions)
    return out


def _dense_parts(pipeline, questions: list[str]) -> dict:
    """Dense retrieval split into query embedding and FAISS search, with torch's threads and with one."""
    import torch

    def measure() -> dict:
        embed_ms, search_ms = [], []
        for q in questions:
            t = time.perf_counter()
            vector = pipeline.embedder.embed_queries([q])[0]
            embedded = time.perf_counter()
            pipeline.index.dense.search(vector, TOP_K)
            embed_ms.append((embedded - t) * 1000)
            search_ms.append((time.perf_counter() - embedded) * 1000)
        return {"embed": p50_p95(embed_ms), "search": p50_p95(search_ms)}

    threads = torch.get_num_threads()
    out = {"threads": threads, "default": measure()}
    if threads > 1:
        torch.set_num_threads(1)
        out["one_thread"] = measure()
        torch.set_num_threads(threads)
    return out


_current_stages: list[Stages] = []


def _pipeline(stages: Stages, **settings):
    """A Pipeline whose progress messages split `stages`. Two more boundaries are marked by wrapping names in
    rag.pipeline (this process only): where the corpus is read (load_catalog) and where build_index returns."""
    from rag import pipeline as module
    from rag.config import Settings

    _current_stages[:] = [stages]
    if not hasattr(module.build_index, "marked"):

        def build_index(*args, progress, **kwargs):
            index = build_index.original(*args, progress=progress, **kwargs)
            progress("index written")
            return index

        build_index.original, build_index.marked = module.build_index, True
        module.build_index = build_index
    if hasattr(module, "load_catalog") and not hasattr(module.load_catalog, "marked"):

        def load_catalog(*args, **kwargs):
            _current_stages[0].progress("reading the corpus")
            return load_catalog.original(*args, **kwargs)

        load_catalog.original, load_catalog.marked = module.load_catalog, True
        module.load_catalog = load_catalog
    return module.Pipeline(Settings(**settings), progress=stages.progress)


def phase_model(params: dict) -> dict:
    from embeddings.testing import build_tiny_model

    t = time.perf_counter()
    build_tiny_model(Path(params["model_dir"]))
    return {"build_s": time.perf_counter() - t}


def phase_small_lexical(params: dict) -> dict:
    from rag.types import Mode

    repeats, index_dir = params["repeats"], Path(params["index_dir"])
    stages = Stages()
    p = _pipeline(stages, index_dir=index_dir, mode=Mode.LEXICAL)
    first = stages.finish()
    rebuilds = []
    for _ in range(repeats):
        stages.start("build setup")
        p.rebuild()
        rebuilds.append(stages.finish())
    t = time.perf_counter()
    _pipeline(Stages(), index_dir=index_dir, mode=Mode.LEXICAL)
    reload_s = time.perf_counter() - t
    questions = dev_questions()
    return {
        "docs": len(p.catalog.documents),
        "chars": sum(len(t) for t in p.documents.values()),
        "chunks": len(p.chunks),
        "first_build": first,
        "rebuild_s": statistics.median(sum(r["s"] for r in b) for b in rebuilds),
        "rebuild_stages": rebuilds[-1],
        "reload_s": reload_s,
        "latency": _query_latencies(p, questions, ("lexical",), params["warmup"]),
        "questions": len(questions),
    }


def phase_small_dense(params: dict) -> dict:
    repeats, index_dir = params["repeats"], Path(params["index_dir"])
    stages = Stages()
    p = _pipeline(stages, index_dir=index_dir, embedding_model=params["model_dir"])
    first = stages.finish()
    if p.dense is None:
        return {"error": f"dense retrieval unavailable: {p.notices}"}
    warm, cold = [], []
    for _ in range(repeats):
        stages.start("build setup")
        p.rebuild()
        warm.append(stages.finish())
        shutil.rmtree(index_dir / "embedding-cache", ignore_errors=True)
        stages.start("build setup")
        p.rebuild()
        cold.append(stages.finish())

    import torch

    from rag.index.build import embedding_text

    texts = [embedding_text(c) for c in p.chunks]
    questions = dev_questions()

    def embedding_speed() -> tuple[float, dict]:
        """Passages per second (whole corpus, the model's batch size) and one-query embedding latency."""
        p.embedder.embed_passages(texts[:32])
        rates = []
        for _ in range(max(1, repeats - 1)):
            t = time.perf_counter()
            p.embedder.embed_passages(texts)
            rates.append(len(texts) / (time.perf_counter() - t))
        query_ms = []
        for q in questions:
            t = time.perf_counter()
            p.embedder.embed_queries([q])
            query_ms.append((time.perf_counter() - t) * 1000)
        return statistics.median(rates), p50_p95(query_ms)

    threads = torch.get_num_threads()
    passages_per_s, query_embed = embedding_speed()
    one_thread = None
    if threads > 1:  # torch's intra-op threads spin-wait; on a busy machine one thread can be much faster
        torch.set_num_threads(1)
        one_thread = embedding_speed()
        torch.set_num_threads(threads)

    def total(builds: list[list[dict]]) -> float:
        return statistics.median(sum(r["s"] for r in b) for b in builds)

    def dense_stage(builds: list[list[dict]]) -> float:
        return statistics.median(stage_seconds(b, "dense (embed+FAISS)") for b in builds)

    return {
        "chunks": len(p.chunks),
        "first_build": first,
        "warm_rebuild_s": total(warm),
        "cold_rebuild_s": total(cold),
        "warm_dense_stage_s": dense_stage(warm),
        "cold_dense_stage_s": dense_stage(cold),
        "cold_stages": cold[-1],
        "passages_per_s": passages_per_s,
        "mean_passage_chars": statistics.mean(map(len, texts)),
        "query_embed_ms": query_embed,
        "one_thread": {"passages_per_s": one_thread[0], "query_embed_ms": one_thread[1]} if one_thread else None,
        "torch_threads": threads,
        "dim": p.embedder.dim,
        "latency": _query_latencies(p, questions, MODES, params["warmup"]),
        "questions": len(questions),
    }


def phase_scale_corpus(params: dict) -> dict:
    t = time.perf_counter()
    info = write_scaled_corpus(Path(params["corpus_dir"]), params["scale"])
    info["write_s"] = time.perf_counter() - t
    return info


def phase_scale_build(params: dict) -> dict:
    from rag.types import Mode

    index_dir = Path(params["index_dir"])
    settings = {"corpus_dir": Path(params["corpus_dir"]), "index_dir": index_dir}
    if params["dense"]:
        settings["embedding_model"] = params["model_dir"]
    else:
        settings["mode"] = Mode.LEXICAL
    stages = Stages()
    p = _pipeline(stages, **settings)
    build = stages.finish()
    if params["dense"] and p.dense is None:
        return {"error": f"dense retrieval unavailable: {p.notices}"}
    build_peak = peak_rss_mb()
    out = {
        "docs": len(p.catalog.documents),
        "chars": sum(len(t) for t in p.documents.values()),
        "chunks": len(p.chunks),
        "build": build,
        "build_peak_rss_mb": build_peak,
        "index_mb": folder_mb(index_dir),
    }
    if params["dense"]:
        from rag.index.build import embedding_text

        out["unique_passages"] = len({embedding_text(c) for c in p.chunks})  # the rest come from the cache
    del p
    t = time.perf_counter()
    stages = Stages()
    p = _pipeline(stages, **settings)  # start on the built index: load, check freshness, wire retrievers
    out["reload_s"] = time.perf_counter() - t
    out["reload_rebuilt"] = bool(p.notices)
    questions = dev_questions(params["questions"])
    modes = ("dense", "hybrid") if params["dense"] else ("lexical",)
    out["latency"] = _query_latencies(p, questions, modes, params["warmup"])
    out["questions"] = len(questions)
    return out


PHASES: dict[str, Callable[[dict], dict]] = {
    "model": phase_model,
    "small-lexical": phase_small_lexical,
    "small-dense": phase_small_dense,
    "scale-corpus": phase_scale_corpus,
    "scale-lexical": phase_scale_build,
    "scale-dense": phase_scale_build,
}


def run_phase_here(name: str, params: dict) -> None:
    """Child side: run one phase, print its result (with this process's peak RSS) as one tagged JSON line."""
    tracing = params.get("tracemalloc", False)
    if tracing:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    baseline = mb(status_kb("VmRSS"))
    result = PHASES[name](params)
    result["phase_s"] = time.perf_counter() - started
    result["start_rss_mb"] = baseline
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_1m"] = os.getloadavg()[0]
    if tracing:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(RESULT_TAG + json.dumps(result, ensure_ascii=False), flush=True)
