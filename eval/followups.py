"""Follow-up conversations in the gold set: loading, validating and scoring the answer to each later turn.

A follow-up file holds one conversation per line: {"id", "turns": [turn, turn, ...]} plus any descriptive field
(such as "retarget": body, year, language). A turn is {"question", "lang", "bodies", "years", "evidence",
"answer_keywords"}; "years" (empty: any year) and "evidence" are what its answer should rest on. The turns are
asked in order, each with the answers before it as history, and every turn after the first is scored: the
bodies the answer attributes (exactly the turn's), the years of the sources it cites (within the turn's), its
language (the turn's), no abstention, and whether the turn's evidence is among the sources.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import metrics as m
from eval.gold import LANGS, Evidence, check_evidence, jsonl_records, raise_problems
from eval.quotes_check import shown_sources
from rag.text.normalize import match_key

# The project as a conversation: the turns' questions in order, a mode and k; one contract answer per turn.
ConverseFn = Callable[[Sequence[str], str, int], list[dict[str, Any]]]


@dataclass(frozen=True)
class Turn:
    question: str
    lang: str
    bodies: tuple[str, ...]
    years: tuple[int, ...]
    evidence: tuple[Evidence, ...]
    answer_keywords: tuple[str, ...]


@dataclass(frozen=True)
class Followup:
    id: str
    turns: tuple[Turn, ...]
    where: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def followup_paths(split: str, gold_dir: Path) -> list[Path]:
    """The follow-up files of a gold set's split that exist: followups_<split>.jsonl (both for `all`)."""
    names = ["dev", "test"] if split == "all" else [split]
    return [p for p in (gold_dir / f"followups_{name}.jsonl" for name in names) if p.is_file()]


def load_followups(
    paths: Iterable[Path | str],
    documents: Mapping[str, str] | None = None,
    bodies: Iterable[str] | None = None,
) -> list[Followup]:
    """Read and validate follow-up files; every problem is reported at once as file:line: message.
    `documents` (doc_id → text) and `bodies` (known codes) enable the corpus checks, as for the gold set."""
    doc_keys = {doc_id: match_key(text) for doc_id, text in (documents or {}).items()}
    known = set(bodies) if bodies is not None else None
    out: list[Followup] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for where, raw in jsonl_records(paths, "Follow-up", problems):
        found = _check(raw, doc_keys, known)
        if not found and raw["id"] in seen:
            found.append(f"duplicate id '{raw['id']}' (first at {seen[raw['id']]}).")
        if found:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        seen[raw["id"]] = where
        out.append(_followup(raw, where))
    raise_problems(problems, "the follow-ups")
    return out


def _check(raw: Any, doc_keys: dict[str, str], known: set[str] | None) -> list[str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"].strip():
        return ["each line must be a JSON object with a non-empty string id."]
    turns = raw.get("turns")
    if not isinstance(turns, list) or len(turns) < 2:
        return ["'turns' must be a list of at least two turns."]
    problems = []
    for i, turn in enumerate(turns, 1):
        problems.extend(f"turn {i}: {p}" for p in _check_turn(turn, doc_keys, known))
    return problems


def _check_turn(turn: Any, doc_keys: dict[str, str], known: set[str] | None) -> list[str]:
    if not isinstance(turn, dict):
        return ["must be an object."]
    problems = []
    if not isinstance(turn.get("question"), str) or not turn["question"].strip():
        problems.append("question must be a non-empty string.")
    if turn.get("lang") not in LANGS:
        problems.append(f"lang '{turn.get('lang')}' is not one of {', '.join(LANGS)}.")
    for key in ("bodies", "answer_keywords"):
        values = turn.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"'{key}' must be a list of non-empty strings.")
        elif key == "bodies" and known is not None and (unknown := sorted(set(values) - known)):
            problems.append(f"unknown body code(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}.")
    years = turn.get("years", [])
    if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        problems.append("'years' must be a list of integers.")
    evidence = turn.get("evidence", [])
    if not isinstance(evidence, list):
        problems.append("'evidence' must be a list.")
    else:
        for i, ev in enumerate(evidence, 1):
            problems.extend(f"evidence {i}: {p}" for p in check_evidence(ev, doc_keys, require_unique=False))
    return problems


def _followup(raw: dict[str, Any], where: str) -> Followup:
    turns = tuple(
        Turn(
            question=t["question"],
            lang=t["lang"],
            bodies=tuple(t.get("bodies", [])),
            years=tuple(t.get("years", [])),
            evidence=tuple(Evidence(e["doc"], e["section"], e["text"]) for e in t.get("evidence", [])),
            answer_keywords=tuple(t.get("answer_keywords", [])),
        )
        for t in raw["turns"]
    )
    return Followup(raw["id"], turns, where, {k: v for k, v in raw.items() if k not in ("id", "turns")})


def score_turn(turn: Turn, answer: Mapping[str, Any], k: int) -> dict[str, Any]:
    """How one answer fares against its turn: body, year, language, abstention, evidence found; `correct` when
    it answers (no abstention) with the turn's bodies, years and language."""
    abstained = m.is_abstention(answer)
    bodies = set(answer.get("bodies") or [])
    cited = shown_sources(answer)
    years = {s.get("year") for s in cited}
    body_ok = bodies == set(turn.bodies) if turn.bodies else True
    year_ok = bool(cited) and years <= set(turn.years) if turn.years else True
    language_ok = str(answer.get("language", "")) == turn.lang
    texts = [str(s.get("text", "")) for s in answer.get("sources") or []]
    evidence = [e.text for e in turn.evidence]
    hit = m.hit_at_k(m.evidence_matches(texts, evidence), k) if evidence else None
    return {
        "question": turn.question,
        "abstained": abstained,
        "body_ok": body_ok,
        "year_ok": year_ok,
        "language_ok": language_ok,
        f"hit@{k}": hit,
        "correct": not abstained and body_ok and year_ok and language_ok,
        "bodies": sorted(bodies),
        "years": sorted(y for y in years if y is not None),
        "language": str(answer.get("language", "")),
        "answer": str(answer.get("answer", ""))[:200],
    }


def followup_record(followup: Followup, system: str, answers: Sequence[Mapping[str, Any]], k: int,
                    latency_ms: float, error: str | None = None) -> dict[str, Any]:
    """One conversation's record: the first turn's score as context, the later turns' scores, and `correct`
    when every later turn is."""
    scored = [score_turn(turn, answer, k) for turn, answer in zip(followup.turns, answers, strict=False)]
    later = scored[1:]
    if len(scored) < len(followup.turns):
        error = error or f"{len(scored)} of {len(followup.turns)} turns answered"
    return {
        "id": followup.id,
        "system": system,
        "retarget": followup.extra.get("retarget", ""),
        "lang": followup.turns[-1].lang,
        "turns": scored,
        "first_correct": bool(scored) and scored[0]["correct"],
        "correct": error is None and bool(later) and all(t["correct"] for t in later),
        "latency_ms": round(latency_ms, 2),
        "error": error,
    }


def summarise(rows: Sequence[Mapping[str, Any]], k: int) -> dict[str, Any]:
    """Shares over the conversations' later turns: accuracy (all right), right body, year, language,
    abstentions and evidence found; the first turns' accuracy beside them for context."""
    later = [t for r in rows for t in r["turns"][1:]]
    return {
        "n": len(rows),
        "accuracy": m.mean(float(r["correct"]) for r in rows),
        "first_turn_accuracy": m.mean(float(r["first_correct"]) for r in rows),
        "body_accuracy": m.mean(float(t["body_ok"]) for t in later),
        "year_accuracy": m.mean(float(t["year_ok"]) for t in later),
        "language_accuracy": m.mean(float(t["language_ok"]) for t in later),
        "abstention_rate": m.mean(float(t["abstained"]) for t in later),
        f"hit@{k}": m.mean(t.get(f"hit@{k}") for t in later),
        "errors": sum(r["error"] is not None for r in rows),
    }


def run_followups(followups: Sequence[Followup], system: str, k: int, converse: ConverseFn,
                  depth: int, advance: Callable[[int], None] = lambda n: None) -> list[dict[str, Any]]:
    """Ask each conversation (`depth` results per turn) and score it; a failure of the system is a result."""
    rows = []
    for followup in followups:
        start = time.perf_counter()
        try:
            answers, error = converse([t.question for t in followup.turns], system, depth), None
        except Exception as exc:  # noqa: BLE001 - any failure of the system under test is a result to report
            answers, error = [], f"{type(exc).__name__}: {exc}"
        rows.append(followup_record(followup, system, answers, k, (time.perf_counter() - start) * 1000, error))
        advance(len(followup.turns))
    return rows
