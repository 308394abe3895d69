"""Retrieval benchmark per mode (lexical, dense, hybrid): index build, query latency, embedding throughput, memory,
on the shipped corpus and on a synthetic corpus `--scale` times its size.

Dense and hybrid use the tiny test model (random 2-layer BERT, hidden 32, built offline into a temporary folder
by embeddings.testing.build_tiny_model): the numbers show the pipeline's own cost, not a production model's.
Every measured phase runs in its own subprocess, so "peak RSS" is that phase's high-water mark; inside a
phase the high-water mark is reset between build stages (/proc/self/clear_refs), so each stage gets its own.
The scale run writes N perturbed copies of each document (sentence order shuffled within paragraphs, a few
characters and digits swapped; headings kept, so the outline parses the same) and times a lexical and a dense
index over them. Copies that could not be perturbed stay identical, and identical passages are embedded once,
so the dense stage embeds fewer passages than there are chunks (the output says how many).
The default run (N=100: 500 documents, 10 M characters, 26,300 chunks) takes about 3.5 minutes on an idle
2-core machine. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/bench_retrieval.py [--scale N] [--quick] [--questions 50] [--torch-threads T]
                                                   [--tracemalloc]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS_DIR = ROOT / "corpus"
DEV_QUESTIONS = ROOT / "eval" / "gold" / "dev.jsonl"
MODES = ("lexical", "dense", "hybrid")
RESULT_TAG = "@@RESULT "
TOP_K = 5
DATA_FILES = ("glossary.tsv", "userdict.txt", "stopwords.txt")

# ---------------------------------------------------------------------------------------------------------------
# Small helpers (used by the parent and the phases)




from common import percentile  # noqa: E402


def p50_p95(values: list[float]) -> dict:
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "n": len(values)}


def dev_questions(limit: int | None = None) -> list[str]:
    lines = [line for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [json.loads(line)["question"] for line in lines]
    return questions[:limit] if limit else questions


def _status_kb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


_peak_before_reset_kb = 0


def peak_rss_mb() -> float:
    """This process's peak RSS so far. The stage resets below also reset ru_maxrss (both read the kernel's
    high-water mark), so the peaks seen before each reset are kept here."""
    now = max(_status_kb("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux
    return mb(max(now, _peak_before_reset_kb))


def reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark (VmHWM); False where the kernel does not allow it."""
    global _peak_before_reset_kb
    _peak_before_reset_kb = max(_peak_before_reset_kb, _status_kb("VmHWM"))
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def mb(kb: float) -> float:
    return kb / 1024


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


class Stages:
    """Splits a build into stages at the pipeline's progress messages: seconds and peak RSS of each."""

    NAMES = (
        ("loading the embedding model", "model load"),
        ("reading the corpus", "corpus read"),  # catalog, glossary, tokenizer, documents, index lookup
        ("building the index", "build setup"),
        ("parsing and chunking", "parse+chunk"),
        ("indexing", "lexical (jieba+BM25)"),
        ("embedding", "dense (embed+FAISS)"),
        ("index written", "wire retrievers"),
    )

    def __init__(self) -> None:
        self.start("imports+setup")

    def start(self, name: str) -> None:
        self.records: list[dict] = []
        self._name, self._t = name, time.perf_counter()
        reset_peak_rss()

    def progress(self, message: str) -> None:
        for prefix, name in self.NAMES:
            if message.startswith(prefix):
                self._close()
                self._name = name
                return

    def _close(self) -> None:
        now = time.perf_counter()
        self.records.append({"stage": self._name, "s": now - self._t, "peak_rss_mb": mb(_status_kb("VmHWM"))})
        self._t = now
        reset_peak_rss()

    def finish(self) -> list[dict]:
        self._close()
        return self.records


def stage_seconds(records: list[dict], name: str) -> float:
    return sum(r["s"] for r in records if r["stage"] == name)


# ---------------------------------------------------------------------------------------------------------------
# Synthetic corpus: N perturbed copies of every shipped document


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_NUMERALS = "〇一二三四五六七八九十"
_SAFE_START_PUNCT = "，。、；：」』）》！？"
HEADING_WIDTH = 50  # display columns: the parser may read a shorter line that starts a paragraph as a heading
_SENTENCE = re.compile(r"[^。！？]*[。！？][」』）)”’】》]*")
_CLAUSE = re.compile(r"[^。！？，；]*[。！？，；][」』）)”’】》]*")


def _plain_start(text: str) -> bool:
    """A line that cannot be read as a heading, bullet or page number: it starts with an ordinary CJK character
    (not a numeral, not 策略) or mid-sentence punctuation."""
    if not text:
        return False
    first = text[0]
    if first in _SAFE_START_PUNCT:
        return True
    return bool(_CJK.match(first)) and first not in _CJK_NUMERALS and not text.startswith("策略")


def _is_body_line(raw: str) -> bool:
    """A wrapped line of running text: not indented (footnotes are), no bold markup, long, plain start, and
    either wider than an unnumbered heading can be or ending a sentence."""
    from rag.corpus.cleaning import display_width, ends_sentence

    if not raw.strip() or raw[:1].isspace() or "**" in raw:
        return False
    text = raw.strip()
    wide = display_width(text) > HEADING_WIDTH or ends_sentence(text)
    return len(text) >= 15 and wide and _plain_start(text)


def _swap_digits(text: str, rng: random.Random, rate: float = 0.25) -> str:
    return "".join(str(rng.randrange(10)) if ch.isdigit() and ch.isascii() and rng.random() < rate else ch
                   for ch in text)


def _swap_neighbours(text: str, rng: random.Random, swaps: int = 2) -> str:
    """Swap a few pairs of neighbouring CJK characters, so copies differ even where the order cannot change."""
    chars = list(text)
    candidates = [i for i in range(1, len(chars) - 1) if _CJK.match(chars[i]) and _CJK.match(chars[i + 1])]
    for i in rng.sample(candidates, min(swaps, len(candidates))):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def perturb(text: str, rng: random.Random, front_matter_lines: int = 4) -> tuple[str, int, int]:
    """Shuffle the sentences of each run of body lines (the clauses of a one-sentence run), keeping the line
    lengths so wrapping and widths stay; swap two pairs of neighbouring characters in each run and some digits.
    The title block, headings, bullets, footnotes and short lines are left as they are, so the section parser
    sees the same outline. Returns (text, runs perturbed, runs left alone)."""
    from rag.corpus.cleaning import display_width as _wide
    from rag.corpus.cleaning import ends_sentence

    lines = text.split("\n")
    nonempty = [i for i, raw in enumerate(lines) if raw.strip()]
    first_body = nonempty[front_matter_lines] if len(nonempty) > front_matter_lines else len(lines)
    shuffled = kept = 0
    run: list[int] = []

    def flush() -> None:
        nonlocal shuffled, kept
        if not run or (len(run) == 1 and _wide(lines[run[0]].strip()) <= HEADING_WIDTH):
            run.clear()  # a short lone line may be a heading (or a numbered heading's second line): leave it
            return
        pieces = [lines[i].strip() for i in run]
        joined = "".join(pieces)
        units, fixed = _SENTENCE.findall(joined), ""
        if len(units) < 2:  # one sentence: shuffle its clauses; the last (with the full stop) stays last
            units = _CLAUSE.findall(joined)
            units, fixed = units[:-1], "".join(units[-1:])
        tail = joined[sum(map(len, units)) + len(fixed):]
        # A new line must not look like a heading: no heading-like start, and no line that was too wide to be an
        # unnumbered heading becomes narrow enough to be one. Else try another order, or keep the run.
        for _ in range(5):
            order = units[:]
            rng.shuffle(order)
            if order == units and len(units) > 1:
                order = units[1:] + units[:1]
            new = _swap_neighbours("".join(order) + fixed + tail, rng)
            cut, offsets = [], 0
            for piece in pieces:
                cut.append(new[offsets : offsets + len(piece)])
                offsets += len(piece)
            pairs = zip(cut, pieces, strict=True)
            if all(_plain_start(c) and _wide(c) >= min(_wide(o), HEADING_WIDTH + 1) for c, o in pairs):
                for i, c in zip(run, cut, strict=True):
                    raw = lines[i]
                    lines[i] = c + raw[len(raw.rstrip()):]
                shuffled += 1
                break
        else:
            kept += 1
        run.clear()

    for i, raw in enumerate(lines[first_body:], start=first_body):
        if not raw:
            continue  # empty lines between wrapped lines belong to the run
        if not raw.strip():
            flush()  # a line of spaces separates paragraphs
            continue
        if _is_body_line(raw):
            run.append(i)
            if ends_sentence(raw.strip()):
                flush()
        else:
            flush()
    flush()
    for i, raw in enumerate(lines[first_body:], start=first_body):
        if _is_body_line(raw):
            lines[i] = _swap_digits(raw, rng)
    return "\n".join(lines), shuffled, kept


def _toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def write_scaled_corpus(target: Path, copies: int, seed: int = 0) -> dict:
    """Write `copies` perturbed copies of every shipped document, a catalog naming each copy
    `s{i:03d}_{orig}` (same body, year and kind; titles with a suffix), the data files, and section titles."""
    from rag.corpus.sections import parse_document

    target.mkdir(parents=True, exist_ok=True)
    source_catalog = (CORPUS_DIR / "catalog.toml").read_text(encoding="utf-8")
    bodies_part = source_catalog.split("[[documents]]")[0]
    documents = tomllib.loads(source_catalog)["documents"]
    for name in DATA_FILES:
        if (CORPUS_DIR / name).is_file():
            shutil.copy(CORPUS_DIR / name, target / name)
    title_lines = (CORPUS_DIR / "section_titles.tsv").read_text(encoding="utf-8").splitlines()
    header, rows = title_lines[0], [r for r in title_lines[1:] if r.strip()]

    entries, titles, chars, shuffled, kept, outline_same, checked = [], [header], 0, 0, 0, 0, 0
    originals = {d["id"]: (CORPUS_DIR / d["file"]).read_text(encoding="utf-8") for d in documents}
    for i in range(copies):
        for n, doc in enumerate(documents):
            rng = random.Random(seed * 1_000_003 + i * 101 + n)
            text, s, k = perturb(originals[doc["id"]], rng, doc.get("front_matter_lines") or 4)
            shuffled, kept = shuffled + s, kept + k
            new_id = f"s{i:03d}_{doc['id']}"
            (target / f"{new_id}.txt").write_text(text, encoding="utf-8")
            chars += len(text)
            if i % 10 == 0:  # sanity check on every tenth copy: the parser finds the same outline
                checked += 1
                outline = [
                    [(sec.number_path, sec.heading) for sec in parse_document(t, doc.get("front_matter_lines")).walk()]
                    for t in (originals[doc["id"]], text)
                ]
                outline_same += outline[0] == outline[1]
            entry = dict(doc)
            entry.update(
                id=new_id,
                file=f"{new_id}.txt",
                title_zh=f"{doc['title_zh']}（合成副本 {i:03d}）",
                title_en=f"{doc['title_en']} (synthetic copy {i:03d})",
            )
            fields = "".join(f"{key} = {_toml_value(value)}\n" for key, value in entry.items())
            entries.append("[[documents]]\n" + fields)
            titles.extend(f"{new_id}{row[len(doc['id']):]}" for row in rows if row.startswith(doc["id"] + "\t"))
    (target / "catalog.toml").write_text(bodies_part + "\n".join(entries), encoding="utf-8")
    (target / "section_titles.tsv").write_text("\n".join(titles) + "\n", encoding="utf-8")
    return {
        "docs": copies * len(documents),
        "chars": chars,
        "runs_shuffled": shuffled,
        "runs_kept": kept,
        "outline_same": f"{outline_same}/{checked}",
    }


# ---------------------------------------------------------------------------------------------------------------
# Phases (each runs in its own subprocess)


def _query_latencies(pipeline, questions: list[str], modes: tuple[str, ...], warmup: int) -> dict:
    """Per mode: query parse, retrieve-only (Pipeline.retrieve on a parsed query) and full ask, in ms."""
    from rag.types import Mode
    from rag.understand.query import build_query

    out = {}
    parsed = []
    parse_ms = []
    for q in questions:
        t = time.perf_counter()
        parsed.append(build_query(q, pipeline.tokenizer, pipeline.glossary))
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


def fmt_dense_parts(parts: dict) -> str:
    text = (f"dense retrieve = query embed {fmt_lat(parts['default'], 'embed')} + FAISS search "
            f"{fmt_lat(parts['default'], 'search')} ms ({parts['threads']} torch threads)")
    if "one_thread" in parts:
        text += f"; query embed with 1 thread {fmt_lat(parts['one_thread'], 'embed')} ms"
    return text


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
    baseline = mb(_status_kb("VmRSS"))
    result = PHASES[name](params)
    result["phase_s"] = time.perf_counter() - started
    result["start_rss_mb"] = baseline
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_1m"] = os.getloadavg()[0]
    if tracing:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(RESULT_TAG + json.dumps(result, ensure_ascii=False), flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Parent: run the phases, print as they finish, then the summary table


def run_phase(name: str, params: dict, timeout: float, threads: int | None = None) -> dict:
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)  # torch's intra-op threads (and OpenMP/BLAS) in the phase
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--params", json.dumps(params)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            result = json.loads(line[len(RESULT_TAG):])
            result["wall_s"] = time.perf_counter() - started
            return result
    tail = "\n".join(done.stderr.strip().splitlines()[-8:])
    return {"error": f"exit code {done.returncode}: {tail}"}


def code_version() -> str:
    """The commit and whether rag/ or embeddings/ differ from it (read-only git commands)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "rag", "embeddings"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown (no git)"
    changed = len(dirty.stdout.splitlines())
    suffix = f" + {changed} uncommitted changes in rag/, embeddings/" if changed else ""
    return (commit.stdout.strip() or "unknown") + suffix


def fmt_lat(entry: dict | None, key: str) -> str:
    if not entry or key not in entry:
        return "-"
    value = entry[key]
    return f"{value['p50']:.1f} / {value['p95']:.1f}"


def fmt_stages(records: list[dict]) -> str:
    return ", ".join(f"{r['stage']} {r['s']:.2f} s ({r['peak_rss_mb']:.0f} MB)" for r in records if r["s"] >= 0.005)


def report_error(name: str, result: dict) -> bool:
    if "error" in result:
        print(f"  !! phase {name} failed: {result['error']}")
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=None, help="copies of each document in the scale run "
                        "(default 100; 10 with --quick; 0 skips the scale run)")
    parser.add_argument("--quick", action="store_true", help="one repeat per build, scale 10, 20 questions")
    parser.add_argument("--questions", type=int, default=None, help="dev questions timed in the scale run (50)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report tracemalloc's peak (Python and numpy allocations, not torch); makes every "
                        "timing several times slower, so use it for memory only")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="OMP_NUM_THREADS for every phase (default: torch's own choice, one per core)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase_here(args.phase, json.loads(args.params))
        return

    scale = args.scale if args.scale is not None else (10 if args.quick else 100)
    questions = args.questions or (20 if args.quick else 50)
    repeats = 1 if args.quick else 3
    warmup = 3 if args.quick else 10
    timeout = 3600.0

    def phase(name: str, params: dict) -> dict:
        return run_phase(name, params, timeout, args.torch_threads)

    started = time.perf_counter()
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"bench_retrieval: scale {scale}, {'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, "
          f"load average {load} (other work on the machine skews timings)")
    print("dense/hybrid use the tiny test model (random 2-layer BERT, hidden 32): pipeline cost, not model quality")
    print(f"code: {code_version()}")

    summary: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as scratch:
        tmp = Path(scratch)
        model_dir = tmp / "tiny-model"
        common = {"tracemalloc": args.tracemalloc, "warmup": warmup, "repeats": repeats, "model_dir": str(model_dir)}

        model = phase("model", common)
        if not report_error("model", model):
            print(f"\n== tiny model built in {model['build_s']:.1f} s (phase {model['wall_s']:.1f} s with imports)")

        print("\n== shipped corpus")
        lex = phase("small-lexical", {**common, "index_dir": str(tmp / "small-lexical")})
        if not report_error("small-lexical", lex):
            summary["small-lexical"] = lex
            print(f"corpus: {lex['docs']} documents, {lex['chars']:,} chars, {lex['chunks']} chunks")
            print(f"lexical-only build: first (new process, jieba dictionary load) "
                  f"{sum(r['s'] for r in lex['first_build']):.2f} s = {fmt_stages(lex['first_build'])}")
            print(f"lexical-only rebuild (median of {repeats}): {lex['rebuild_s']:.2f} s = "
                  f"{fmt_stages(lex['rebuild_stages'])}")
            print(f"start on a built index (load + freshness check): {lex['reload_s']:.2f} s")
            print(f"phase peak RSS {lex['peak_rss_mb']:.0f} MB (at start {lex['start_rss_mb']:.0f} MB); "
                  f"phase {lex['wall_s']:.1f} s, load {lex['load_1m']:.1f}")
        dense = (
            {"error": "no tiny model"}
            if "error" in model
            else phase("small-dense", {**common, "index_dir": str(tmp / "small-dense")})
        )
        if not report_error("small-dense", dense):
            summary["small-dense"] = dense
            print(f"build with embeddings, first (new process: model load, jieba, cold cache) "
                  f"{sum(r['s'] for r in dense['first_build']):.2f} s = {fmt_stages(dense['first_build'])}")
            print(f"rebuild with embeddings (median of {repeats}): cold cache {dense['cold_rebuild_s']:.2f} s "
                  f"(dense stage {dense['cold_dense_stage_s']:.2f} s), warm cache {dense['warm_rebuild_s']:.2f} s "
                  f"(dense stage {dense['warm_dense_stage_s']:.2f} s)")
            print(f"  cold-cache rebuild stages: {fmt_stages(dense['cold_stages'])}")
            print(f"embedding throughput (tiny model, dim {dense['dim']}, {dense['torch_threads']} torch threads): "
                  f"{dense['passages_per_s']:,.0f} passages/s (mean {dense['mean_passage_chars']:.0f} chars, "
                  f"max 128 tokens); one query embedded: {fmt_lat(dense, 'query_embed_ms')} ms (p50 / p95)")
            if dense.get("one_thread"):
                print(f"  with torch.set_num_threads(1): {dense['one_thread']['passages_per_s']:,.0f} passages/s; one "
                      f"query embedded: {fmt_lat(dense['one_thread'], 'query_embed_ms')} ms (p50 / p95)")
            print(f"phase peak RSS {dense['peak_rss_mb']:.0f} MB (at start {dense['start_rss_mb']:.0f} MB); "
                  f"phase {dense['wall_s']:.1f} s, load {dense['load_1m']:.1f}")
            for label, result in (("small-lexical", lex), ("small-dense", dense)):
                if "tracemalloc_peak_mb" in result:
                    print(f"tracemalloc peak ({label}): {result['tracemalloc_peak_mb']:.0f} MB")
        if "latency" in dense or "latency" in lex:
            n = dense.get("questions") or lex.get("questions")
            print(f"warm query latency over {n} dev questions, top_k {TOP_K}, ms p50 / p95:")
            parse = (dense.get("latency") or lex["latency"])["parse"]
            print(f"  query parse (build_query): {parse['p50']:.2f} / {parse['p95']:.2f}")
            for mode in MODES:
                source = lex if mode == "lexical" and "latency" in lex else dense
                entry = source.get("latency", {}).get(mode)
                if entry:
                    print(f"  {mode:<8} retrieve {fmt_lat(entry, 'retrieve'):<14} ask {fmt_lat(entry, 'ask'):<14}"
                          f" ran as {'/'.join(entry['ran'])}")
            if "dense_parts" in dense.get("latency", {}):
                print("  " + fmt_dense_parts(dense["latency"]["dense_parts"]))
            if "latency" in dense and "lexical" in dense["latency"]:
                entry = dense["latency"]["lexical"]
                print(f"  lexical in the dense process: retrieve {fmt_lat(entry, 'retrieve')}, ask "
                      f"{fmt_lat(entry, 'ask')}")

        if scale > 0:
            print(f"\n== synthetic corpus: {scale} perturbed copies of each document")
            corpus_dir = tmp / "scale-corpus"
            made = phase("scale-corpus", {**common, "corpus_dir": str(corpus_dir), "scale": scale})
            if not report_error("scale-corpus", made):
                summary["scale-corpus"] = made
                print(f"written in {made['write_s']:.1f} s: {made['docs']} documents, {made['chars']:,} chars; "
                      f"{made['runs_shuffled']:,} paragraphs perturbed ({made['runs_kept']} kept as they were: "
                      f"every order gave a heading-like line); outline unchanged in {made['outline_same']} "
                      "checked copies")
                for kind in ("lexical", "dense"):
                    if kind == "dense" and model.get("error"):
                        continue
                    params = {**common, "corpus_dir": str(corpus_dir), "index_dir": str(tmp / f"scale-{kind}"),
                              "dense": kind == "dense", "questions": questions}
                    result = phase(f"scale-{kind}", params)
                    if report_error(f"scale-{kind}", result):
                        continue
                    summary[f"scale-{kind}"] = result
                    total = sum(r["s"] for r in result["build"])
                    print(f"{kind} index: {result['chunks']:,} chunks, built in {total:.1f} s = "
                          f"{fmt_stages(result['build'])}")
                    print(f"  index on disk {result['index_mb']:.0f} MB; start on the built index "
                          f"{result['reload_s']:.1f} s{' (it rebuilt!)' if result['reload_rebuilt'] else ''}; "
                          f"phase peak RSS {result['peak_rss_mb']:.0f} MB (build {result['build_peak_rss_mb']:.0f}"
                          f" MB, at start {result['start_rss_mb']:.0f} MB)"
                          + (f"; tracemalloc peak {result['tracemalloc_peak_mb']:.0f} MB"
                             if "tracemalloc_peak_mb" in result else ""))
                    for mode, entry in result["latency"].items():
                        if mode in MODES:
                            print(f"  {mode:<8} over {result['questions']} questions, ms p50 / p95: retrieve "
                                  f"{fmt_lat(entry, 'retrieve')}, ask {fmt_lat(entry, 'ask')} "
                                  f"(ran as {'/'.join(entry['ran'])})")
                    if "dense_parts" in result["latency"]:
                        print("  " + fmt_dense_parts(result["latency"]["dense_parts"]))
                        seconds = stage_seconds(result["build"], "dense (embed+FAISS)")
                        unique = result["unique_passages"]
                        print(f"  dense stage: {unique:,} distinct passages embedded (identical ones are embedded "
                              f"once), {unique / seconds:,.0f} passages/s including cache write, FAISS add and save")
                    print(f"  phase wall time {result['wall_s']:.1f} s, load {result['load_1m']:.1f}")

    print_summary(summary, scale)
    elapsed = time.perf_counter() - started
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\ntotal {elapsed:.0f} s ({elapsed / 60:.1f} min); load average now {load}")


def print_summary(summary: dict[str, dict], scale: int) -> None:
    print("\n== summary: build = fresh index in a new process (incl. model load, jieba init); latencies warm, "
          "ms p50 / p95; load = 1-min load average at the phase's end")
    header = (f"{'corpus':<17}{'chunks':>7}  {'mode':<8}{'build s':>8}  {'retrieve ms':<14}{'ask ms':<16}"
              f"{'peak RSS':>9}{'load':>6}")
    print(header)
    print("-" * len(header))
    rows = []
    lex, dense = summary.get("small-lexical"), summary.get("small-dense")
    if lex:
        rows.append(("shipped", lex, "lexical", lex["first_build"]))
    if dense:
        rows += [("shipped", dense, mode, dense["first_build"]) for mode in ("dense", "hybrid")]
    for kind, modes in (("scale-lexical", ("lexical",)), ("scale-dense", ("dense", "hybrid"))):
        result = summary.get(kind)
        if result:
            rows += [(f"x{scale} ({result['docs']} docs)", result, mode, result["build"]) for mode in modes]
    for corpus, result, mode, build in rows:
        entry = result["latency"][mode]
        print(f"{corpus:<17}{result['chunks']:>7,}  {mode:<8}{sum(r['s'] for r in build):>8.1f}  "
              f"{fmt_lat(entry, 'retrieve'):<14}{fmt_lat(entry, 'ask'):<16}{result['peak_rss_mb']:>6.0f} MB"
              f"{result['load_1m']:>6.1f}")
    if lex and dense:
        print(f"shipped rebuilds: lexical-only {lex['rebuild_s']:.2f} s; with embeddings, cold cache "
              f"{dense['cold_rebuild_s']:.2f} s, warm cache {dense['warm_rebuild_s']:.2f} s")
    if dense:
        one = dense.get("one_thread")
        print(f"tiny-model embedding: {dense['passages_per_s']:,.0f} passages/s with {dense['torch_threads']} torch "
              f"threads" + (f", {one['passages_per_s']:,.0f} with 1" if one else ""))
    corpus = summary.get("scale-corpus")
    if corpus:
        print(f"scale corpus: {corpus['docs']} docs, {corpus['chars'] / 1e6:.1f} M chars")
        for kind in ("scale-lexical", "scale-dense"):
            if kind in summary:
                print(f"  {kind} build stages: {fmt_stages(summary[kind]['build'])}")
        if "scale-dense" in summary:
            result = summary["scale-dense"]
            print(f"  distinct passages to embed: {result['unique_passages']:,} of {result['chunks']:,} chunks")


if __name__ == "__main__":
    main()
