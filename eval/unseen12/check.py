"""Validate the unseen12 DEV set (documents, hand outlines, gold questions, follow-ups). Standard library only.

    python3 eval/unseen12/check.py

The checks are eval/set_check.py's (see its docstring); this script only says what is particular to unseen12.
It reads eval/unseen12/corpus, eval/unseen12/outline, eval/gold/unseen12/{dev,test}.jsonl,
eval/gold/unseen12/{followups,followups_test}.jsonl, the shipped corpus/ (for uniqueness and for the shipped
evidence of the "unseen12+shipped" questions), the other eval/*/corpus/catalog.toml (to keep the bodies' names
new) and eval/gold/unseen5, unseen6, unseen8, unseen10 and unseen11 (the only places the shipped section paths
used here were taken from). It runs nothing from rag/, cli/ or ui/.

Particular to unseen12
  * documents named b0n_<16 hex>.txt, the hex being the first 16 hex digits of the file's SHA-256; the
    distinctive invented word of each name (Suiling/穗岭, Kestrelwood/隼林, Brackenholt/蕨林) in no other catalog
    and in no shipped document; each document names its own body; 1,200-1,800 English words (b02) or Han
    characters (b01), and for the bilingual b03 1,200-1,800 Han characters and 700-1,300 English words.
  * b03 is bilingual with the whole English block of a section before its Chinese heading ("english_first"): the
    section starts at the English heading line ('I. Title'), and the Chinese heading line ('一、標題') must
    follow before the next section starts, with the English text in between.
  * no evidence from b02's Summary of Recommendations; every answer keyword occurs (NFKC, whitespace and `*`
    removed, case-folded) in one of the question's evidence documents.
  * counts: per language fact 2, numeric 3, why 1, list 1, which_bodies 4, compare 1 and 8 unanswerable, 3 of
    them with asks "which_bodies".
Prints counts; exits 1 on any problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import set_check  # noqa: E402  (eval/set_check.py, loaded without importing the eval package)

CONFIG = set_check.SetConfig(
    name="unseen12",
    id_prefix="u12",
    doc_prefix="b",
    per_lang={"fact": 2, "numeric": 3, "why": 1, "list": 1, "which_bodies": 4, "compare": 1, "unanswerable": 8},
    asks_per_lang=3,
    verified_gold=("unseen5", "unseen6", "unseen8", "unseen10", "unseen11"),
    convention_from="unseen10/outline/w01_acd348d3cfe374dc.json",
    sizes={"b01": (("han", 1200, 1800),), "b02": (("words", 1200, 1800),),
           "b03": (("han", 1200, 1800), ("words", 700, 1300))},
    distinct={"SGCE": ("Suiling", "穗岭", "穗嶺"), "KAID": ("Kestrelwood", "隼林"), "BMTE": ("Brackenholt", "蕨林")},
    keywords="document",
    no_evidence_sections=frozenset({"Summary of Recommendations"}),
    bilingual={"b03": "english_first"},
)

if __name__ == "__main__":
    sys.exit(set_check.main(CONFIG))
