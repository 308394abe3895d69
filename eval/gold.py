"""The gold QA set: loading and validating JSON Lines files, and choosing a split.

Format (ARCHITECTURE.md): one object per line with id, lang, type, question, evidence [{doc, section, text}],
bodies, answer_keywords; extra fields are kept in `GoldQuestion.extra`. Those the evaluation reads: `hard`,
`group` (a label reports break results down by, e.g. "colloquial") and `asks` ("which_bodies" on an
unanswerable question put as "which bodies …": its body score is that of naming none).

A gold set is a folder with dev.jsonl and test.jsonl (and optional follow-ups, eval/followups.py): the shipped
set is eval/gold itself, others are its sub-folders (eval/gold/briefing).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.text.normalize import match_key

EVAL_DIR = Path(__file__).resolve().parent
GOLD_DIR = EVAL_DIR / "gold"
PARTS_DIR = GOLD_DIR / "parts"
SPLITS = ("dev", "test", "all")
LANGS = ("en", "zh-Hant", "zh-Hans")
TYPES = ("fact", "numeric", "why", "list", "which_bodies", "compare", "unanswerable")
BODY_TYPES = ("which_bodies", "compare")  # questions scored on the bodies the answer names
_MAX_REPORTED = 20


class GoldError(ValueError):
    """A gold file is missing or malformed; the message lists each problem as file:line."""


@dataclass(frozen=True)
class Evidence:
    doc: str
    section: str
    text: str


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    lang: str
    type: str
    question: str
    evidence: tuple[Evidence, ...]
    bodies: tuple[str, ...]
    answer_keywords: tuple[str, ...]
    where: str = ""  # "file:line" it came from
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def hard(self) -> bool:
        return bool(self.extra.get("hard", False))

    @property
    def group(self) -> str:
        return str(self.extra.get("group", ""))

    @property
    def asks_bodies(self) -> bool:
        """Scored on the bodies the answer names: which-bodies and compare questions, and an unanswerable one
        asked as "which bodies …", whose right answer names none."""
        return self.type in BODY_TYPES or self.extra.get("asks") in BODY_TYPES

    def to_dict(self) -> dict[str, Any]:
        """The contract form, extra fields last (what make_split writes back)."""
        return {
            "id": self.id,
            "lang": self.lang,
            "type": self.type,
            "question": self.question,
            "evidence": [{"doc": e.doc, "section": e.section, "text": e.text} for e in self.evidence],
            "bodies": list(self.bodies),
            "answer_keywords": list(self.answer_keywords),
            **self.extra,
        }


def gold_paths(split: str, gold_dir: Path = GOLD_DIR) -> list[Path]:
    """The files a split names: dev.jsonl, test.jsonl, or both for `all`."""
    if split not in SPLITS:
        raise GoldError(f"Unknown split '{split}'; choose one of {', '.join(SPLITS)}.")
    names = ["dev", "test"] if split == "all" else [split]
    paths = [gold_dir / f"{name}.jsonl" for name in names]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise GoldError(
            f"Gold split file {missing[0]} does not exist. Run `python -m eval.make_split` to build the "
            "dev/test split from eval/gold/parts/."
        )
    return paths


def gold_set_dir(name: str | None, gold_dir: Path = GOLD_DIR) -> Path:
    """The folder of a named gold set (a sub-folder of eval/gold holding dev.jsonl), or eval/gold for None."""
    if not name:
        return gold_dir
    folder = gold_dir / name
    if not (folder / "dev.jsonl").is_file():
        known = sorted(p.parent.name for p in gold_dir.glob("*/dev.jsonl"))
        raise GoldError(f"No gold set '{name}' in {gold_dir}; known sets: {', '.join(known) or 'none'}.")
    return folder


def load_gold(
    paths: Iterable[Path | str],
    documents: dict[str, str] | None = None,
    bodies: Iterable[str] | None = None,
    require_unique: bool = False,
) -> list[GoldQuestion]:
    """Read and validate gold files; every problem found is reported at once, as file:line: message.

    `documents` (doc_id → text) enables the corpus checks: known document, evidence verbatim in it.
    `bodies` (known body codes) enables the body-code check. `require_unique` also demands that every
    evidence text occurs exactly once in the corpus (our own gold set; a user's set may quote repeated text).
    """
    questions: list[GoldQuestion] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    doc_keys = {doc_id: match_key(text) for doc_id, text in (documents or {}).items()}
    known_bodies = set(bodies) if bodies is not None else None
    for where, raw in jsonl_records(paths, "Gold", problems):
        found = _check(raw, doc_keys, known_bodies, require_unique)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            if raw["id"] in seen:
                found.append(f"duplicate id '{raw['id']}' (first at {seen[raw['id']]}).")
            else:
                seen[raw["id"]] = where
        if found:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        questions.append(_question(raw, where))
    raise_problems(problems, "the gold set")
    return questions


def raise_problems(problems: Sequence[str], what: str) -> None:
    """Raise one GoldError listing the problems found (the first few, and how many more), if any."""
    if problems:
        shown = problems[:_MAX_REPORTED]
        more = f"\n… and {len(problems) - len(shown)} more." if len(problems) > len(shown) else ""
        raise GoldError(f"{len(problems)} problem(s) in {what}:\n" + "\n".join(shown) + more)


def jsonl_records(paths: Iterable[Path | str], what: str, problems: list[str]) -> Iterator[tuple[str, Any]]:
    """(file:line, parsed value) for each non-empty line of JSON Lines files, in order. A line that is not JSON is
    added to `problems` (reported together by the caller); a missing file raises GoldError naming `what`."""
    for path in map(Path, paths):
        if not path.is_file():
            raise GoldError(f"{what} file {path} does not exist.")
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}).")


def gold_digest(questions: Sequence[GoldQuestion]) -> str:
    """A short hash of the question set, so reports can tell whether they ran on the same gold."""
    payload = "\n".join(json.dumps(q.to_dict(), ensure_ascii=False, sort_keys=True) for q in questions)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def _check(raw: Any, doc_keys: dict[str, str], known_bodies: set[str] | None, require_unique: bool) -> list[str]:
    if not isinstance(raw, dict):
        return ["each line must be a JSON object."]
    problems = []
    for key, kind in (
        ("id", str),
        ("lang", str),
        ("type", str),
        ("question", str),
        ("evidence", list),
        ("bodies", list),
        ("answer_keywords", list),
    ):
        if key not in raw:
            problems.append(f"missing field '{key}'.")
        elif not isinstance(raw[key], kind):
            problems.append(f"field '{key}' must be a {kind.__name__}.")
    if problems:
        return problems
    if not raw["id"].strip() or not raw["question"].strip():
        problems.append("id and question must not be empty.")
    if raw["lang"] not in LANGS:
        problems.append(f"lang '{raw['lang']}' is not one of {', '.join(LANGS)}.")
    if raw["type"] not in TYPES:
        problems.append(f"type '{raw['type']}' is not one of {', '.join(TYPES)}.")
    if (raw["type"] == "unanswerable") != (not raw["evidence"]):
        problems.append("a question is 'unanswerable' exactly when its evidence list is empty.")
    for key in ("bodies", "answer_keywords"):
        if not all(isinstance(v, str) and v.strip() for v in raw[key]):
            problems.append(f"'{key}' must be a list of non-empty strings.")
    if known_bodies is not None:
        unknown = [b for b in raw["bodies"] if isinstance(b, str) and b not in known_bodies]
        if unknown:
            problems.append(f"unknown body code(s) {', '.join(unknown)}; known: {', '.join(sorted(known_bodies))}.")
    for i, ev in enumerate(raw["evidence"], 1):
        problems.extend(f"evidence {i}: {p}" for p in check_evidence(ev, doc_keys, require_unique))
    return problems


def check_evidence(ev: Any, doc_keys: dict[str, str], require_unique: bool) -> list[str]:
    """Problems of one evidence item: its shape and, given `doc_keys` (doc_id → match_key of the text), a known
    document holding the text verbatim (once in the corpus, with `require_unique`)."""
    if not isinstance(ev, dict) or not all(isinstance(ev.get(k), str) for k in ("doc", "section", "text")):
        return ["must be an object with string fields doc, section and text."]
    if not match_key(ev["text"]):
        return ["text is empty."]
    if not doc_keys:
        return []
    if ev["doc"] not in doc_keys:
        return [f"unknown document '{ev['doc']}'."]
    key = match_key(ev["text"])
    if key not in doc_keys[ev["doc"]]:
        return [f"text is not verbatim (whitespace aside) in {ev['doc']}: {ev['text']}"]
    if require_unique and (hits := sum(text.count(key) for text in doc_keys.values())) > 1:
        return [f"text occurs {hits} times in the corpus; pick wording unique to the passage: {ev['text']}"]
    return []


def _question(raw: dict[str, Any], where: str) -> GoldQuestion:
    known = {"id", "lang", "type", "question", "evidence", "bodies", "answer_keywords"}
    return GoldQuestion(
        id=raw["id"],
        lang=raw["lang"],
        type=raw["type"],
        question=raw["question"],
        evidence=tuple(Evidence(e["doc"], e["section"], e["text"]) for e in raw["evidence"]),
        bodies=tuple(raw["bodies"]),
        answer_keywords=tuple(raw["answer_keywords"]),
        where=where,
        extra={k: v for k, v in raw.items() if k not in known},
    )
