"""Members' thumbs up/down on answers → candidate gold questions, in the gold JSONL format `rag eval --gold` reads.

A liked answer proposes its question with the passages it cited as evidence (the start of each quote, checked
verbatim in the document as the gold reader checks it), the bodies it named, and the type the question reads as
(which bodies, compare, else fact; an abstention liked is `unanswerable`). A disliked answer is proposed the same
way, in the group `feedback-down`, so a curator sees what the system cited for a question it got wrong; a disliked
abstention has no evidence to propose and is left out (counted). Each record keeps the member's rating, comment
and the answer given under `feedback`. Candidates are for review: nothing adds them to the shipped gold set.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from eval.corpus import raw_documents
from eval.gold import BODY_TYPES, check_evidence
from rag.answer.citations import CITATION, marker_numbers
from rag.config import DEFAULT_CORPUS_DIR, Settings
from rag.corpus.catalog import Catalog, load_catalog
from rag.corpus.lexicon import Lexicon
from rag.text.normalize import match_key
from rag.types import Answer
from rag.understand.intent import Intent, classify

EVIDENCE_CHARS = 40  # the gold set's evidence is a verbatim 10–40 character stretch of the passage
_KIND = {Intent.WHICH_BODIES: "which_bodies", Intent.COMPARE: "compare", Intent.ASK: "fact"}


class Rated(Protocol):
    """One rating as the UI's store keeps it (ui.store.Feedback)."""

    conversation: str
    seq: int
    rating: str
    comment: str
    answer: Answer


def candidate(rated: Rated, catalog: Catalog, lexicon: Lexicon, doc_keys: dict[str, str]) -> dict[str, Any] | None:
    """The gold record a rating proposes, or None when it proposes nothing checkable (see the module)."""
    answer = rated.answer
    question = (answer.resolved_question or answer.question).strip()
    kind = _KIND[classify(question, catalog, lexicon).kind]
    evidence = [] if answer.abstained else _evidence(answer, doc_keys)
    if answer.abstained and rated.rating == "down":
        return None
    if not answer.abstained and not evidence:
        return None
    record: dict[str, Any] = {
        "id": f"feedback-{rated.conversation[:8]}-{rated.seq + 1}",
        "lang": str(answer.language),
        "type": "unanswerable" if answer.abstained else kind,
        "question": question,
        "evidence": evidence,
        "bodies": _bodies(answer, kind),
        "answer_keywords": [],
        "group": f"feedback-{rated.rating}",
    }
    if answer.abstained and kind in BODY_TYPES:
        record["asks"] = kind
    if question != answer.question.strip():
        record["asked"] = answer.question  # a follow-up as typed; `question` is how the pipeline read it
    record["feedback"] = {"rating": rated.rating, "comment": rated.comment, "answer": answer.answer}
    return record


def candidates(ratings: Iterable[Rated], settings: Settings) -> tuple[list[dict[str, Any]], int]:
    """Candidate gold records for `ratings` over the settings' corpus, and how many ratings proposed none."""
    catalog = load_catalog(settings.corpus_dir)
    lexicon = Lexicon.load(settings.lexicon_dir, base=DEFAULT_CORPUS_DIR / "lexicon")
    doc_keys = {doc_id: match_key(text) for doc_id, text in raw_documents(settings.corpus_dir).items()}
    records, left_out, seen = [], 0, set()
    for rated in ratings:
        record = candidate(rated, catalog, lexicon, doc_keys)
        if record is None or record["id"] in seen:
            left_out += 1
            continue
        seen.add(record["id"])
        records.append(record)
    return records, left_out


def write_jsonl(records: Sequence[dict[str, Any]], path: Path) -> Path:
    """The records as JSON Lines, written through a temporary file beside `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _evidence(answer: Answer, doc_keys: dict[str, str]) -> list[dict[str, str]]:
    """The start of each cited quote, in citation order, kept when the gold reader would accept it."""
    by_n = {source.n: source for source in answer.sources}
    found: list[dict[str, str]] = []
    for match in CITATION.finditer(answer.answer):
        for n in marker_numbers(match):
            source = by_n.get(n)
            if source is None or not source.quote.strip():
                continue
            item = {"doc": source.doc_id, "section": source.section,
                    "text": source.quote.strip()[:EVIDENCE_CHARS].strip()}
            if item not in found and not check_evidence(item, doc_keys, require_unique=False):
                found.append(item)
    return found


def _bodies(answer: Answer, kind: str) -> list[str]:
    """The bodies named by a which-bodies or compare answer; else those of the passages it cited."""
    if answer.abstained:
        return []
    if kind in BODY_TYPES:
        return list(answer.bodies)
    cited = {n for match in CITATION.finditer(answer.answer) for n in marker_numbers(match)}
    return sorted({source.body for source in answer.sources if source.n in cited})
