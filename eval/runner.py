"""The evaluation runner: every gold question through each retrieval mode and each baseline, then metrics.

The project is reached only through an `ask(question, mode, k) -> contract dict` callable (the JSON that
`rag ask --json` prints), so the runner does not depend on pipeline internals; `pipeline_ask` adapts a
`rag.pipeline.Pipeline`, and `pipeline_converse` asks a conversation's turns in order, each with the answers
before it as history (the follow-ups). Results are one JSON-ready dict: meta, systems (aggregates, with
`followups` when any were asked), questions and followups (one record per conversation). Every quote an answer
shows is checked for shape (eval/quotes_check.py).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval import baselines as baseline_retrievers
from eval import metrics as m
from eval.corpus import body_codes, cleaned_documents, raw_documents
from eval.followups import ConverseFn, Followup, followup_paths, load_followups, run_followups
from eval.followups import summarise as summarise_followups
from eval.gold import (
    GOLD_DIR,
    LANGS,
    SPLITS,
    TYPES,
    GoldError,
    GoldQuestion,
    gold_digest,
    gold_paths,
    load_gold,
)
from eval.quotes_check import QuoteChecker
from eval.quotes_check import summarise as summarise_quotes
from rag.config import PROJECT_ROOT, Settings
from rag.pipeline import Pipeline
from rag.types import Mode

AskFn = Callable[[str, str, int], dict[str, Any]]
MODES = tuple(mode.value for mode in Mode)
DEPTH = 10  # results asked for per question: MRR@10 and nDCG@10 need ten
_SHOWN = 3  # retrieved chunks kept per question for the report


def pipeline_ask(pipeline: Pipeline) -> AskFn:
    """Adapt a `rag.pipeline.Pipeline` to the runner's ask callable."""

    def ask(question: str, mode: str, k: int) -> dict[str, Any]:
        return pipeline.ask(question, top_k=k, mode=Mode(mode)).to_dict()

    return ask


def pipeline_converse(pipeline: Pipeline) -> ConverseFn:
    """Adapt a Pipeline to a conversation: each turn asked with the answers before it as history."""

    def converse(questions: Sequence[str], mode: str, k: int) -> list[dict[str, Any]]:
        history: list[Any] = []
        for question in questions:
            history.append(pipeline.ask(question, top_k=k, mode=Mode(mode), history=list(history)))
        return [answer.to_dict() for answer in history]

    return converse


def resolve_gold(gold: str | Path | Sequence[Path | str], gold_dir: Path = GOLD_DIR) -> tuple[str, list[Path]]:
    """(label, files) for a split name of a gold set (`gold_dir`: "briefing/dev" for eval/gold/briefing), one
    file or several files."""
    if isinstance(gold, str) and gold in SPLITS:
        label = gold if gold_dir.resolve() == GOLD_DIR.resolve() else f"{gold_dir.name}/{gold}"
        return label, gold_paths(gold, gold_dir)
    paths = [Path(gold)] if isinstance(gold, str | Path) else [Path(p) for p in gold]
    return ",".join(p.name for p in paths), paths


def run_eval(
    gold: str | Path | Sequence[Path | str] = "dev",
    modes: Iterable[str] = MODES,
    k: int = 5,
    baselines: bool = True,
    progress: bool = True,
    *,
    ask: AskFn | None = None,
    chunk_texts: Sequence[str] | None = None,
    settings: Settings | None = None,
    gold_dir: Path = GOLD_DIR,
    followups: Sequence[Path | str] | None = None,
    converse: ConverseFn | None = None,
) -> dict[str, Any]:
    """Evaluate the project's modes (via `ask`, default: a Pipeline with `settings`) and the baselines on a
    gold set. A split of a gold set (`gold_dir`) brings its follow-up files along; `followups` names them
    otherwise; they are asked through `converse` (default: the same Pipeline)."""
    settings = settings or Settings()
    corpus_dir = settings.corpus_dir
    if not 1 <= k <= DEPTH:
        raise ValueError(f"k must be between 1 and {DEPTH}.")
    modes = list(modes)
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown:
        raise ValueError(f"Unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}.")
    label, paths = resolve_gold(gold, gold_dir)
    questions = load_gold(paths, documents=raw_documents(corpus_dir), bodies=body_codes(corpus_dir))
    if not questions:
        raise GoldError(f"The gold set {label} has no questions.")
    if followups is None:
        followups = followup_paths(gold, gold_dir) if isinstance(gold, str) and gold in SPLITS else []
    conversations = load_followups(followups, documents=raw_documents(corpus_dir), bodies=body_codes(corpus_dir))
    if modes and ask is None:
        pipeline = Pipeline(settings)
        ask = pipeline_ask(pipeline)
        converse = converse or pipeline_converse(pipeline)
        chunk_texts = [c.text for c in pipeline.chunks] if chunk_texts is None else chunk_texts
    if modes and conversations and converse is None:
        raise ValueError("Follow-ups need a converse callable beside ask.")
    checker = QuoteChecker.from_corpus(corpus_dir)
    names = [*modes, *(baseline_retrievers.BASELINES if baselines else ())]
    turns = sum(len(f.turns) for f in conversations) * len(modes)
    bar = tqdm(total=len(questions) * len(names) + turns, disable=not progress, file=sys.stderr, unit="q")
    systems: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    conversation_records: list[dict[str, Any]] = []
    with bar:
        for mode in modes:
            bar.set_description(mode)
            system, rows = _run_mode(questions, mode, k, ask, corpus_dir, bar, checker)
            systems[mode] = system
            records.extend(rows)
            if conversations:
                found = _run_conversations(conversations, system, mode, k, converse, bar)
                conversation_records.extend(found)
        for name in names[len(modes) :]:
            bar.set_description(name)
            system, rows = _run_baseline(questions, name, k, corpus_dir, bar)
            systems[name] = system
            records.extend(rows)
    for name, system in systems.items():
        rows = [r for r in records if r["system"] == name]
        system.update(_grouped(rows, questions, k))
    return {
        "meta": {
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "gold": label,
            "gold_files": [_display_path(p) for p in paths],
            "gold_digest": gold_digest(questions),
            "n_questions": len(questions),
            "n_answerable": sum(q.answerable for q in questions),
            "k": k,
            "depth": DEPTH,
            "modes": modes,
            "coverage": _coverage(questions, chunk_texts),
            "followup_files": [_display_path(Path(p)) for p in followups],
            "n_followups": len(conversations),
        },
        "systems": systems,
        "questions": records,
        "followups": conversation_records,
    }


def _run_conversations(conversations: Sequence[Followup], system: dict[str, Any], mode: str, k: int,
                       converse: ConverseFn | None, bar: tqdm) -> list[dict[str, Any]]:
    """The follow-ups through one mode (none when the mode failed to run), summarised into its system."""
    if system["status"] == "failed" or converse is None:
        bar.update(sum(len(f.turns) for f in conversations))
        return []
    rows = run_followups(conversations, mode, k, converse, DEPTH, bar.update)
    system["followups"] = summarise_followups(rows, k)
    return rows


def _run_mode(
    questions: Sequence[GoldQuestion], mode: str, k: int, ask: AskFn, corpus_dir: Path, bar: tqdm,
    checker: QuoteChecker,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    system: dict[str, Any] = {
        "kind": "project",
        "label": mode,
        "status": "ok",
        "ran_as": [],
        "warnings": [],
        "error": None,
    }
    try:  # warm-up, untimed: loads indexes and models, and shows at once whether the mode runs at all
        ask(questions[0].question, mode, DEPTH)
    except Exception as exc:  # noqa: BLE001 - any failure of the system under test is a result to report
        system.update(status="failed", error=f"{type(exc).__name__}: {exc}", label=f"{mode} (failed)")
        bar.update(len(questions))
        return system, []
    documents = {d: (raw_documents(corpus_dir)[d], cleaned_documents(corpus_dir)[d]) for d in raw_documents(corpus_dir)}
    rows, ran, warnings = [], set(), []
    for q in questions:
        start = time.perf_counter()
        try:
            answer, error = ask(q.question, mode, DEPTH), None
        except Exception as exc:  # noqa: BLE001
            answer, error = (
                {"mode": mode, "answer": "", "sources": [], "bodies": []},
                f"{type(exc).__name__}: {exc}",
            )
        latency = (time.perf_counter() - start) * 1000
        ran.add(str(answer.get("mode", mode)))
        warnings.extend(w for w in answer.get("warnings", []) if w not in warnings)
        rows.append(_answer_record(q, mode, answer, k, latency, error, documents, checker))
        bar.update()
    system["ran_as"] = sorted(ran)
    system["warnings"] = warnings[:10]
    system["errors"] = sum(r["error"] is not None for r in rows)
    if ran != {mode}:
        system.update(status="fallback", label=f"{mode} (ran as {'/'.join(sorted(ran))})")
    return system, rows


def _answer_record(
    q: GoldQuestion,
    system: str,
    answer: dict[str, Any],
    k: int,
    latency: float,
    error: str | None,
    documents: dict[str, tuple[str, str]],
    checker: QuoteChecker,
) -> dict[str, Any]:
    sources = list(answer.get("sources") or [])
    record = _retrieval_record(q, system, [str(s.get("text", "")) for s in sources], k, latency, sources)
    abstained = m.is_abstention(answer)
    body = m.body_prf(answer.get("bodies") or [], q.bodies) if q.asks_bodies else (None, None, None)
    quotes = [str(s.get("quote") or "") for s in sources]
    checked, flagged = checker.check_answer(answer)
    record.update(
        mode_ran=answer.get("mode"),
        error=error,
        abstained=abstained,
        abstention_correct=abstained == (not q.answerable),
        body_precision=body[0],
        body_recall=body[1],
        body_f1=body[2],
        keyword_recall=m.keyword_recall(q.answer_keywords, str(answer.get("answer", "")), quotes),
        citation_exactness=m.citation_exactness(sources, documents),
        quotes_checked=checked,
        quotes_flagged=len(flagged),
        quote_flags=[f.to_dict() for f in flagged],
        answer=str(answer.get("answer", ""))[:300],
    )
    return record


def _run_baseline(
    questions: Sequence[GoldQuestion], name: str, k: int, corpus_dir: Path, bar: tqdm
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    retrieve = baseline_retrievers.BASELINES[name]
    retrieve(questions[0].question, DEPTH, corpus_dir)  # build the index outside the timings
    rows = []
    for q in questions:
        start = time.perf_counter()
        texts = retrieve(q.question, DEPTH, corpus_dir)
        rows.append(_retrieval_record(q, name, texts, k, (time.perf_counter() - start) * 1000))
        bar.update()
    system = {
        "kind": "baseline",
        "label": name,
        "status": "ok",
        "ran_as": [name],
        "warnings": [],
        "error": None,
        "description": baseline_retrievers.describe(name, corpus_dir),
    }
    return system, rows


def _retrieval_record(
    q: GoldQuestion,
    system: str,
    texts: Sequence[str],
    k: int,
    latency: float,
    sources: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": q.id,
        "lang": q.lang,
        "type": q.type,
        "group": q.group,
        "hard": q.hard,
        "system": system,
        "question": q.question,
        "latency_ms": round(latency, 2),
        "evidence": [f"{e.doc} §{e.section}: {e.text}" for e in q.evidence],
    }
    if q.answerable:
        scores = m.retrieval_scores(texts, [e.text for e in q.evidence], k)
        matches = m.evidence_matches(texts, [e.text for e in q.evidence])
        first = next((rank for rank, found in enumerate(matches, 1) if found), None)
    else:
        scores = dict.fromkeys(_retrieval_keys(k))
        first = None
    record.update(scores, first_relevant_rank=first)
    record["retrieved"] = [
        {
            "doc": str(s.get("doc_id", "")),
            "section": str(s.get("section") or s.get("heading") or ""),
            "text": t[:60].replace("\n", " "),
        }
        for s, t in zip(list(sources) or [{}] * len(texts), texts, strict=False)
    ][:_SHOWN]
    return record


def _retrieval_keys(k: int) -> tuple[str, ...]:
    return ("hit@1", f"hit@{k}", f"recall@{k}", "mrr@10", "ndcg@10")


def aggregate(rows: Sequence[dict[str, Any]], k: int) -> dict[str, Any]:
    """Means over the questions each metric applies to, with counts, abstention rates and latency."""
    out: dict[str, Any] = {"n": len(rows), "n_answerable": sum(r["type"] != "unanswerable" for r in rows)}
    for key in _retrieval_keys(k):
        out[key] = m.mean(r.get(key) for r in rows)
    if rows and "abstained" in rows[0]:
        out.update(m.abstention_rates([r["abstained"] for r in rows], [r["type"] != "unanswerable" for r in rows]))
        for key in ("body_precision", "body_recall", "body_f1", "keyword_recall", "citation_exactness"):
            out[key] = m.mean(r.get(key) for r in rows)
        out.update(_quote_counts(rows))
    out.update(m.latency_percentiles([r["latency_ms"] for r in rows]))
    return out


def _quote_counts(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Quote checks summed over the questions: checked, flagged, the flag rate and each flag's count."""
    flags = [f["flags"] for r in rows for f in r.get("quote_flags") or []]
    return summarise_quotes(flags, sum(r.get("quotes_checked") or 0 for r in rows))


def _grouped(rows: Sequence[dict[str, Any]], questions: Sequence[GoldQuestion], k: int) -> dict[str, Any]:
    if not rows:
        return {"overall": None, "by_lang": {}, "by_type": {}, "by_group": {}}
    langs = [lang for lang in LANGS if any(q.lang == lang for q in questions)]
    types = [t for t in TYPES if any(q.type == t for q in questions)]
    groups = list(dict.fromkeys(q.group for q in questions if q.group))
    return {
        "overall": aggregate(rows, k),
        "by_lang": {lang: aggregate([r for r in rows if r["lang"] == lang], k) for lang in langs},
        "by_type": {t: aggregate([r for r in rows if r["type"] == t], k) for t in types},
        "by_group": {g: aggregate([r for r in rows if r["group"] == g], k) for g in groups},
    }


def _coverage(questions: Sequence[GoldQuestion], chunk_texts: Sequence[str] | None) -> dict[str, Any] | None:
    """Evidence items no project chunk contains: no retrieval can find them (lost in chunking or cleaning)."""
    if chunk_texts is None:
        return None
    evidence = [(q.id, e) for q in questions for e in q.evidence]
    matches = m.evidence_matches(chunk_texts, [e.text for _, e in evidence])
    found = set().union(*matches) if matches else set()
    missing = [
        {"id": qid, "doc": e.doc, "section": e.section, "text": e.text}
        for i, (qid, e) in enumerate(evidence)
        if i not in found
    ]
    return {
        "evidence_items": len(evidence),
        "reachable": len(evidence) - len(missing),
        "unreachable": missing,
    }


def _display_path(path: Path) -> str:
    """Repository-relative when possible, so committed reports do not carry one machine's paths."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
