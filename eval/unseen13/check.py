"""Validate the unseen13 DEV set (documents, hand outlines, gold questions, follow-ups). Standard library only.

    python3 eval/unseen13/check.py

The checks are eval/set_check.py's (see its docstring); this script only says what is particular to unseen13.
It reads eval/unseen13/corpus, eval/unseen13/outline, eval/gold/unseen13/{dev,test}.jsonl,
eval/gold/unseen13/{followups,followups_test}.jsonl, the shipped corpus/ (for uniqueness and for the shipped
evidence of the "unseen13+shipped" questions), the other eval/*/corpus/catalog.toml (to keep the bodies' names
new) and eval/gold/unseen5, unseen6, unseen8, unseen10, unseen11 and unseen12 (the only places the shipped
section paths used here were taken from). It runs nothing from rag/, cli/ or ui/.

Particular to unseen13
  * documents named c0n_<16 hex>.txt, the hex being the first 16 hex digits of the file's SHA-256; the
    distinctive invented word of each name (Quillmere/羽湖, Pomeridge/柚嶺/柚岭, Windmere/風湄/风湄) in no other
    catalog and in no shipped document; each document names its own body; 1,200-1,800 English words (c01) or
    Han characters (c02), and for the bilingual c03 1,200-1,800 Han characters and 700-1,300 English words.
  * c01's Markdown headings ('## Chapter 2 — …', '### A. …') and c02's headings printed wholly in '**' bold are
    found with their markup set aside.
  * c03 is bilingual in two halves ("two_halves"): the whole Chinese text first, then, after the line
    'English Version', the whole English translation with the same numbering. Every Chinese heading is found in
    order before that line and every English heading in order after it; a section is both of its stretches, so
    evidence from either half lies inside it.
  * every answer keyword occurs (NFKC, whitespace and `*` removed, case-folded) in one of the question's evidence
    texts, not merely in its evidence documents.
  * counts: per language fact 2, numeric 2, why 1, list 1, compare 1 (7 answerable), which_bodies 3 and 10
    unanswerable, 4 of them with asks "which_bodies"; at least 6 questions marked colloquial or mixed.
Prints counts; exits 1 on any problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import set_check  # noqa: E402  (eval/set_check.py, loaded without importing the eval package)

CONFIG = set_check.SetConfig(
    name="unseen13",
    id_prefix="u13",
    doc_prefix="c",
    per_lang={"fact": 2, "numeric": 2, "why": 1, "list": 1, "which_bodies": 3, "compare": 1, "unanswerable": 10},
    asks_per_lang=4,
    verified_gold=("unseen5", "unseen6", "unseen8", "unseen10", "unseen11", "unseen12"),
    convention_from="unseen10/outline/w01_acd348d3cfe374dc.json",
    sizes={"c01": (("words", 1200, 1800),), "c02": (("han", 1200, 1800),),
           "c03": (("han", 1200, 1800), ("words", 700, 1300))},
    distinct={"QAPP": ("Quillmere", "羽湖"), "PCCF": ("Pomeridge", "柚嶺", "柚岭"),
              "WCEO": ("Windmere", "風湄", "风湄")},
    keywords="evidence",
    bilingual={"c03": "two_halves"},
    dividers={"c03": "English Version"},
    min_grouped=6,
)

if __name__ == "__main__":
    sys.exit(set_check.main(CONFIG))
