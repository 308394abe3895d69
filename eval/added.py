"""How documents nobody curated fare once a member adds them: `rag eval --added FOLDER`.

FOLDER holds new documents and their `catalog.toml` (eval/unseen/corpus, eval/holdout/corpus). A scratch corpus is
assembled from the configured corpus plus those documents (catalogs merged, the base corpus's glossary,
dictionary and lexicon kept, so nothing is curated for the new ones), indexed, and asked the gold questions.
Beyond the usual metrics it reports what the new documents test:

- retrieval per direction: the question's language against the language of the document that holds the
  evidence (English over English text, Chinese over English text, English over Chinese text, bilingual text);
- whether the cited section is the right one: a source that holds an evidence text names its section as the
  gold does;
- with `--shipped-gold`, the base gold set asked over the base corpus and over the merged one: which answers
  changed (named bodies among the base corpus's, abstention, Hit@5), so adding documents is seen not to disturb
  answers about the bodies already there.
"""

from __future__ import annotations

import shutil
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from eval import metrics as m
from eval.corpus import raw_documents
from eval.runner import AskFn, pipeline_converse, resolve_gold, run_eval
from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode

DIRECTIONS = ("en→en", "zh→en", "en→zh", "zh→zh", "→bilingual", "mixed")
_BILINGUAL = (0.2, 0.8)  # a document whose CJK share of letters lies between these is bilingual


def document_language(text: str) -> str:
    """"en", "zh" or "bilingual", from the share of CJK characters among the letters of the text."""
    cjk = sum("\u3400" <= ch <= "\u9fff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text) / 4  # about four letters make one word
    share = cjk / (cjk + latin) if cjk + latin else 1.0
    if share < _BILINGUAL[0]:
        return "en"
    return "zh" if share > _BILINGUAL[1] else "bilingual"


def merge_corpus(base: Path, added: Path, target: Path) -> None:
    """Copy `base` to `target` and add the documents of `added` (files and catalog entries)."""
    shutil.copytree(base, target, ignore=shutil.ignore_patterns("index", ".*"))
    catalog = tomllib.loads((base / "catalog.toml").read_text(encoding="utf-8"))
    extra = tomllib.loads((added / "catalog.toml").read_text(encoding="utf-8"))
    bodies = catalog.setdefault("bodies", {})
    for code, body in extra.get("bodies", {}).items():
        if code in bodies and bodies[code] != body:
            raise ValueError(f"Body {code} is defined differently in {added / 'catalog.toml'}; rename one of them.")
        bodies[code] = body
    known = {d["id"] for d in catalog.get("documents", [])}
    for document in extra.get("documents", []):
        if document["id"] in known:
            raise ValueError(f"Document {document['id']} of {added} is already in {base}.")
        shutil.copy2(added / document["file"], target / document["file"])
        catalog.setdefault("documents", []).append(document)
    (target / "catalog.toml").write_text(tomli_w.dumps(catalog), encoding="utf-8")


def run_added(
    added: Path,
    gold: Sequence[Path],
    modes: Sequence[str],
    settings: Settings,
    scratch: Path,
    shipped_gold: str | Path | None = None,
    followups: Sequence[Path] | None = None,
) -> dict[str, Any]:
    """The gold questions (and `followups`, conversations about the added documents) over base + added documents,
    with directions, section exactness and (optionally) the base gold's answers compared before and after the
    documents were added."""
    corpus = scratch / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    merge_corpus(settings.corpus_dir, added, corpus)
    merged = Pipeline(replace(settings, corpus_dir=corpus, index_dir=scratch / "index"))
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    results = run_eval(list(gold), modes=modes, baselines=False, progress=False,
                       ask=_recording(merged, answers), settings=merged.settings, followups=followups,
                       converse=pipeline_converse(merged) if followups else None)
    languages = {doc: document_language(text) for doc, text in raw_documents(corpus).items()}
    questions = {r["id"]: r for r in results["questions"]}
    _, paths = resolve_gold(list(gold))
    from eval.gold import load_gold

    gold_questions = load_gold(paths, documents=raw_documents(corpus))
    extra: dict[str, Any] = {}
    for mode in modes:
        rows = []
        for q in gold_questions:
            record = next(r for r in results["questions"] if r["id"] == q.id and r["system"] == mode)
            answer = answers.get((q.question, mode), {})
            rows.append({**record, "direction": _direction(q, languages),
                         "section_exact": _section_exact(q, answer)})
        extra[mode] = {"by_direction": _by_direction(rows), "section_exact": m.mean(r["section_exact"] for r in rows)}
    out = {"results": results, "added": extra, "languages": languages, "ids": sorted(questions)}
    if shipped_gold is not None:
        base = Pipeline(settings)
        out["shipped"] = compare_answers(shipped_gold, base, merged, modes, set(base.index.manifest["documents"]))
    return out


def _recording(pipeline: Pipeline, answers: dict[tuple[str, str], dict[str, Any]]) -> AskFn:
    def ask(question: str, mode: str, k: int) -> dict[str, Any]:
        answer = pipeline.ask(question, top_k=k, mode=Mode(mode)).to_dict()
        answers[(question, mode)] = answer
        return answer

    return ask


def _direction(question: Any, languages: dict[str, str]) -> str:
    docs = {e.doc for e in question.evidence}
    kinds = {languages.get(doc, "zh") for doc in docs}
    if not docs or len(kinds) > 1:
        return "mixed" if docs else ""
    kind = kinds.pop()
    if kind == "bilingual":
        return "→bilingual"
    return f"{'en' if question.lang == 'en' else 'zh'}→{kind}"


def _section_exact(question: Any, answer: dict[str, Any]) -> float | None:
    """Of the sources (top 5) that hold an evidence text, the share whose section label is the gold's."""
    if not question.answerable:
        return None
    sources = list(answer.get("sources") or [])[:5]
    matches = m.evidence_matches([str(s.get("text", "")) for s in sources], [e.text for e in question.evidence])
    checked = [(s, i) for s, found in zip(sources, matches, strict=True) for i in found]
    if not checked:
        return None
    right = sum(_label_key(str(s.get("section") or s.get("heading") or "")) == _label_key(question.evidence[i].section)
                for s, i in checked)
    return right / len(checked)


def _label_key(label: str) -> str:
    """A section label compared across the two ways of writing a path: the citation's "2.III.B" and the gold's
    "2IIIB" (labels joined with and without dots), spacing and character width aside ("一(一)" and "一（一）"), and
    a label's lone closing bracket as printed ("D.1" and "D1)" for the "1)" under "D.")."""
    key, depth = [], 0
    for ch in "".join(unicodedata.normalize("NFKC", label).replace(".", "").split()):
        depth += (ch == "(") - (ch == ")")
        if depth < 0:  # a ")" no "(" opened
            depth = 0
            continue
        key.append(ch)
    return "".join(key)


def _by_direction(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for direction in DIRECTIONS:
        group = [r for r in rows if r["direction"] == direction and r.get("hit@5") is not None]
        if group:
            out[direction] = {"n": len(group), "hit@5": m.mean(r["hit@5"] for r in group),
                              "mrr@10": m.mean(r["mrr@10"] for r in group),
                              "section_exact": m.mean(r["section_exact"] for r in group)}
    return out


def compare_answers(gold: str | Path, before: Pipeline, after: Pipeline, modes: Sequence[str],
                    base_documents: set[str]) -> dict[str, Any]:
    """The base gold asked before and after documents were added: per mode, the questions whose answer about
    the base corpus changed (bodies named among the base corpus's, abstention) and the change in each metric."""
    base_bodies = {d.body for d in before.catalog.documents}
    out: dict[str, Any] = {}
    for mode in modes:
        answers: list[dict[tuple[str, str], dict[str, Any]]] = [{}, {}]
        runs = [run_eval(gold, modes=[mode], baselines=False, progress=False, settings=p.settings,
                         ask=_recording(p, seen)) for p, seen in zip((before, after), answers, strict=True)]
        rows = [{r["id"]: r for r in run["questions"]} for run in runs]
        changed = []
        for qid, old in rows[0].items():
            new = rows[1][qid]
            named = [sorted(set(seen.get((old["question"], mode), {}).get("bodies") or []) & base_bodies)
                     for seen in answers]
            if old["abstained"] != new["abstained"]:
                changed.append({"id": qid, "what": "abstention", "before": old["abstained"], "after": new["abstained"]})
            if named[0] != named[1]:
                changed.append({"id": qid, "what": "bodies", "before": named[0], "after": named[1]})
            if old.get("hit@5") is not None and old["hit@5"] != new["hit@5"]:
                top = (answers[1].get((old["question"], mode), {}).get("sources") or [])[:5]
                changed.append({"id": qid, "what": "hit@5", "before": old["hit@5"], "after": new["hit@5"],
                                "new_documents_in_top5": sorted({str(s.get("doc_id")) for s in top}
                                                                - base_documents)})
        metrics = {}
        for key in ("hit@5", "mrr@10", "abstention_accuracy", "false_abstention_rate"):
            values = [run["systems"][mode]["overall"].get(key) for run in runs]
            if None not in values:
                metrics[key] = {"before": values[0], "after": values[1], "delta": round(values[1] - values[0], 3)}
        # Bodies scored among the base corpus's own: a new body named where it proposes the thing is no error.
        values = [_base_body_f1(gold, seen, mode, base_bodies) for seen in answers]
        if None not in values:
            metrics["body_f1"] = {"before": values[0], "after": values[1], "delta": round(values[1] - values[0], 3)}
        out[mode] = {"metrics": metrics, "changed": changed, "base_bodies": sorted(base_bodies)}
    return out


def _base_body_f1(gold: str | Path, answers: dict[tuple[str, str], dict[str, Any]], mode: str,
                  base_bodies: set[str]) -> float | None:
    from eval.gold import load_gold

    _, paths = resolve_gold(gold)
    scores = [m.body_prf(set(answers.get((q.question, mode), {}).get("bodies") or []) & base_bodies, q.bodies)[2]
              for q in load_gold(paths) if q.asks_bodies]
    return m.mean(scores)


def format_added(out: dict[str, Any]) -> str:
    """Markdown tables: directions and section exactness per mode; the base gold before/after, if run."""
    lines = ["| mode | direction | n | Hit@5 | MRR@10 | cited section right |", "|---|---|---|---|---|---|"]
    for mode, extra in out["added"].items():
        for direction, cell in extra["by_direction"].items():
            lines.append(f"| {mode} | {direction} | {cell['n']} | {_f(cell['hit@5'])} | {_f(cell['mrr@10'])} | "
                         f"{_f(cell['section_exact'])} |")
        lines.append(f"| {mode} | all | | | | {_f(extra['section_exact'])} |")
    systems = out["results"]["systems"]
    lines += ["", "| mode | Hit@5 | MRR@10 | abstention acc. | false abstention | body P | body R | body F1 |",
              "|---|---|---|---|---|---|---|---|"]
    for mode, system in systems.items():
        o = system["overall"] or {}
        lines.append(f"| {mode} | {_f(o.get('hit@5'))} | {_f(o.get('mrr@10'))} | {_f(o.get('abstention_accuracy'))} | "
                     f"{_f(o.get('false_abstention_rate'))} | {_f(o.get('body_precision'))} | "
                     f"{_f(o.get('body_recall'))} | {_f(o.get('body_f1'))} |")
    for mode, shipped in out.get("shipped", {}).items():
        lines += ["", f"Base gold, {mode}: before → after the documents were added"]
        lines += [f"- {key}: {_f(v['before'])} → {_f(v['after'])} ({v['delta']:+.3f})"
                  for key, v in shipped["metrics"].items()]
        lines += [f"- {c['id']}: {c['what']} {c['before']} → {c['after']}" for c in shipped["changed"]]
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
