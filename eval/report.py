"""Evaluation reports: eval/reports/<YYYY-MM-DD>-<short commit>/ with report.md, metrics.json,
questions.csv, followups.json (when conversations were asked) and PNG charts, compared with the previous report
(regressions flagged)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from eval.charts import plot_by_language, plot_vs_baselines
from eval.gate import LOWER_IS_BETTER, TOLERANCE
from eval.report_answers import answer_sections, fmt, label, table

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
ANSWER_KEYS = (
    "abstention_accuracy",
    "false_abstention_rate",
    "body_f1",
    "keyword_recall",
    "citation_exactness",
    "quote_flag_rate",
)
# Reported metrics for which a rise is the regression: the gate's, and the share of shown quotes flagged.
REPORT_LOWER_IS_BETTER = (*LOWER_IS_BETTER, "quote_flag_rate")
_CSV_SKIP = ("retrieved", "evidence", "question", "answer", "quote_flags")


def headline_keys(k: int) -> list[tuple[str, str]]:
    return [
        ("hit@1", "Hit@1"),
        (f"hit@{k}", f"Hit@{k}"),
        (f"recall@{k}", f"Recall@{k}"),
        ("mrr@10", "MRR@10"),
        ("ndcg@10", "nDCG@10"),
    ]


def git_commit(repo: Path = REPORTS_DIR.parent.parent) -> tuple[str, bool]:
    """(short commit or 'nocommit', whether the work tree differs from it); read-only git calls."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # never let `git status` rewrite the index

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD") or "nocommit"
    status = git("status", "--porcelain") or ""
    # Reports themselves do not make the code dirty; new untracked code does.
    changed = [line for line in status.splitlines() if line and not line[3:].startswith("eval/reports/")]
    return commit, bool(changed) or commit == "nocommit"


def report_dir(root: Path = REPORTS_DIR, commit: str | None = None, gold: str = "dev") -> Path:
    """<date>-<commit> for the default dev split; other gold sets get their name appended (…-test)."""
    suffix = "" if gold == "dev" else "-" + "".join(ch if ch.isalnum() else "_" for ch in gold)
    return root / f"{date.today().isoformat()}-{commit or git_commit()[0]}{suffix}"


def find_previous(root: Path, exclude: Path, gold: str | None = None) -> Path | None:
    """The newest other report folder with a metrics.json (by `created`, then name), on the same gold if given."""
    found = []
    for folder in root.glob("*/metrics.json"):
        if folder.parent.resolve() == exclude.resolve():
            continue
        try:
            meta = json.loads(folder.read_text(encoding="utf-8")).get("meta", {})
        except (json.JSONDecodeError, OSError):
            continue
        if gold is None or meta.get("gold") == gold:
            found.append((str(meta.get("created", "")), folder.parent.name, folder.parent))
    return max(found)[2] if found else None


def compare(current: dict[str, Any], previous: dict[str, Any], tolerance: float = TOLERANCE) -> list[dict[str, Any]]:
    """Metric changes per system and group (overall, each language) between two metrics.json dicts."""
    k = current["meta"]["k"]
    keys = [key for key, _ in headline_keys(k)] + list(ANSWER_KEYS)
    changes = []
    for name, system in current["systems"].items():
        before_system = previous.get("systems", {}).get(name)
        if not before_system or not system.get("overall") or not before_system.get("overall"):
            continue
        groups = {"overall": (system["overall"], before_system["overall"])}
        for lang, now in system.get("by_lang", {}).items():
            if lang in before_system.get("by_lang", {}):
                groups[lang] = (now, before_system["by_lang"][lang])
        for group, (now, then) in groups.items():
            for key in keys:
                after, before = now.get(key), then.get(key)
                if after is None or before is None:
                    continue
                delta = after - before
                worse = -delta if key not in REPORT_LOWER_IS_BETTER else delta
                changes.append(
                    {
                        "system": name,
                        "group": group,
                        "metric": key,
                        "before": before,
                        "after": after,
                        "delta": delta,
                        "regression": worse > tolerance,
                    }
                )
    return changes


def write_report(results: dict[str, Any], out_dir: Path | None = None, reports_root: Path = REPORTS_DIR) -> Path:
    """Write the report folder and return it; `results` is what `run_eval` returns."""
    commit, dirty = git_commit()
    results["meta"].setdefault("commit", commit)
    results["meta"].setdefault("dirty", dirty)
    out_dir = out_dir or report_dir(reports_root, results["meta"]["commit"], results["meta"]["gold"])
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics = {"meta": results["meta"], "systems": results["systems"]}
    previous_dir = find_previous(out_dir.parent, out_dir, results["meta"]["gold"])
    previous = json.loads((previous_dir / "metrics.json").read_text(encoding="utf-8")) if previous_dir else None
    changes = compare(metrics, previous) if previous else []
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    _write_csv(results["questions"], out_dir / "questions.csv")
    if results.get("followups"):  # every conversation's turns, as scored
        (out_dir / "followups.json").write_text(json.dumps(results["followups"], ensure_ascii=False, indent=1),
                                                encoding="utf-8")
    k = results["meta"]["k"]
    if any(s.get("overall") for s in results["systems"].values()):
        plot_by_language(results["systems"], out_dir / "by_language.png", k)
        plot_vs_baselines(results["systems"], out_dir / "vs_baselines.png", k)
    text = render_markdown(results, changes, previous_dir.name if previous_dir else None, previous)
    (out_dir / "report.md").write_text(text, encoding="utf-8")
    return out_dir


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    fields = [key for key in (rows[0] if rows else {}) if key not in _CSV_SKIP]
    fields += ["top_doc", "top_section", "top_text"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            top = (row.get("retrieved") or [{}])[0]
            writer.writerow(
                {
                    **row,
                    "top_doc": top.get("doc", ""),
                    "top_section": top.get("section", ""),
                    "top_text": top.get("text", ""),
                }
            )


def render_markdown(
    results: dict[str, Any],
    changes: list[dict[str, Any]],
    previous_name: str | None,
    previous: dict[str, Any] | None = None,
) -> str:
    meta, systems = results["meta"], results["systems"]
    k = meta["k"]
    heads = headline_keys(k)
    ran = {name: s for name, s in systems.items() if s.get("overall")}
    regressions = [c for c in changes if c["regression"]]
    dirty = " (uncommitted changes)" if meta.get("dirty") else ""
    out = [
        f"# Evaluation report {date.today().isoformat()}, commit {meta.get('commit')}{dirty}",
        "",
        f"Gold `{meta['gold']}`: {meta['n_questions']} questions ({meta['n_answerable']} answerable), "
        f"digest {meta['gold_digest']}; k = {k}, {meta['depth']} results asked per question. "
        f"Created {meta['created']}.",
        "",
    ]
    out += ["## Retrieval: project vs baselines (answerable questions)", ""]
    out += table(
        ["System", *(title for _, title in heads)],
        [[label(s), *(s["overall"][key] for key, _ in heads)] for s in ran.values()],
    )
    if previous_name:
        flag = f"**{len(regressions)} regression(s)** (drop > {TOLERANCE})" if regressions else "no regressions"
        out += [f"Compared with `{previous_name}`: {flag}; see the last section.", ""]
    for s in systems.values():
        if s["status"] == "fallback":
            out.append(
                f"- ⚠ mode `{s['label']}`: the pipeline did not run the requested mode. "
                f"Warnings: {'; '.join(s['warnings'][:3]) or 'none'}"
            )
        elif s["status"] == "failed":
            out.append(f"- ✗ mode `{s['label']}` could not run: {s['error']}")
        elif s.get("description"):
            out.append(f"- `{s['label']}`: {s['description']}")
        if s.get("errors"):
            out.append(f"- ✗ `{s['label']}`: {s['errors']} question(s) raised an error (scored as empty).")
    out += ["", "![Project vs baselines](vs_baselines.png)", ""]
    out += _group_sections(ran, k)
    out += answer_sections(results, ran, k)
    out += ["## Latency (ms per question, after one warm-up call)", ""]
    out += table(
        ["System", "p50", "p95"],
        [[label(s), s["overall"]["p50_ms"], s["overall"]["p95_ms"]] for s in ran.values()],
    )
    out += _coverage_section(meta.get("coverage"))
    out += _worst_section(results, ran, k)
    if previous_name:
        out += _changes_section(changes, previous_name, meta, previous)
    return "\n".join(out)


def _group_sections(ran: dict[str, Any], k: int) -> list[str]:
    out = [f"## By language (Hit@{k} / MRR@10)", ""]
    if not ran:
        return out
    langs = list(next(iter(ran.values()))["by_lang"])
    out += table(
        ["System", *langs],
        [[label(s), *(_pair(s["by_lang"][lang], k) for lang in langs)] for s in ran.values()],
    )
    out += ["![By language](by_language.png)", "", f"## By question type (Hit@{k} / MRR@10)", ""]
    types = [t for t in next(iter(ran.values()))["by_type"] if t != "unanswerable"]
    out += table(["System", *types], [[label(s), *(_pair(s["by_type"][t], k) for t in types)] for s in ran.values()])
    counts = next(iter(ran.values()))
    out += [
        "Questions per group: "
        + ", ".join(
            f"{g} {v['n_answerable']}"
            for g, v in {**counts["by_lang"], **counts["by_type"]}.items()
            if v["n_answerable"]
        ),
        "",
    ]
    return out


def _pair(group: dict[str, Any], k: int) -> str:
    return f"{fmt(group.get(f'hit@{k}'))} / {fmt(group.get('mrr@10'))}"


def _coverage_section(coverage: dict[str, Any] | None) -> list[str]:
    if not coverage:
        return []
    out = [
        "## Evidence reachable in the project's chunks",
        "",
        f"{coverage['reachable']} of {coverage['evidence_items']} evidence items lie whole in some chunk.",
        "",
    ]
    out += [f"- {m['id']}: {m['doc']} §{m['section']} 「{m['text']}」" for m in coverage["unreachable"][:20]]
    return [*out, ""]


def _worst_section(results: dict[str, Any], ran: dict[str, Any], k: int) -> list[str]:
    project = [name for name, s in ran.items() if s["kind"] == "project"]
    if not project:
        return []
    best = max(project, key=lambda name: ran[name]["overall"]["ndcg@10"] or 0.0)
    rows = [r for r in results["questions"] if r["system"] == best and r["type"] != "unanswerable"]
    rows.sort(key=lambda r: (r["ndcg@10"], r["mrr@10"], r[f"recall@{k}"], r["id"]))
    out = [f"## The 10 worst questions ({ran[best]['label']}, lowest nDCG@10)", ""]
    for r in rows[:10]:
        rank = r["first_relevant_rank"]
        out.append(
            f"- **{r['id']}** ({r['lang']}, {r['type']}; first relevant rank {rank or 'none in top 10'}): "
            f"{r['question']}"
        )
        out += [f"  - wanted {e}" for e in r.get("evidence", [])[:3]]
        for item in r["retrieved"]:
            out.append(f"  - got {item['doc'] or '?'} §{item['section'] or '–'}: {item['text']}")
    return [*out, ""]


def _changes_section(
    changes: list[dict[str, Any]], previous_name: str, meta: dict[str, Any], previous: dict[str, Any] | None
) -> list[str]:
    out = [f"## Changes since `{previous_name}`", ""]
    if previous and previous.get("meta", {}).get("gold_digest") != meta["gold_digest"]:
        out += [
            "Note: the previous report ran on a different gold set (digest "
            f"{previous['meta'].get('gold_digest')}), so differences are indicative only.",
            "",
        ]
    moved = [c for c in changes if c["regression"] or abs(c["delta"]) > TOLERANCE]
    if not moved:
        return [*out, f"No metric moved by more than {TOLERANCE}.", ""]
    rows = [
        [
            "⚠ regression" if c["regression"] else "improved",
            c["system"],
            c["group"],
            c["metric"],
            c["before"],
            c["after"],
            f"{c['delta']:+.3f}",
        ]
        for c in moved
    ]
    return out + table(["", "System", "Group", "Metric", "Before", "After", "Δ"], rows)
