"""The synthetic corpus of benchmarks/bench_retrieval.py: N perturbed copies of every shipped document.

Sentence order is shuffled within paragraphs and a few characters and digits swapped; headings are kept, so the
outline parses the same.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tomllib
from pathlib import Path

from rag.config import DEFAULT_CORPUS_DIR

DATA_FILES = ("glossary.tsv", "userdict.txt", "stopwords.txt")


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
    source_catalog = (DEFAULT_CORPUS_DIR / "catalog.toml").read_text(encoding="utf-8")
    bodies_part = source_catalog.split("[[documents]]")[0]
    documents = tomllib.loads(source_catalog)["documents"]
    for name in DATA_FILES:
        if (DEFAULT_CORPUS_DIR / name).is_file():
            shutil.copy(DEFAULT_CORPUS_DIR / name, target / name)
    title_lines = (DEFAULT_CORPUS_DIR / "section_titles.tsv").read_text(encoding="utf-8").splitlines()
    header, rows = title_lines[0], [r for r in title_lines[1:] if r.strip()]

    entries, titles, chars, shuffled, kept, outline_same, checked = [], [header], 0, 0, 0, 0, 0
    originals = {d["id"]: (DEFAULT_CORPUS_DIR / d["file"]).read_text(encoding="utf-8") for d in documents}
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
