"""Validate the unseen11 DEV set (documents, hand outlines, gold questions, follow-ups). Standard library only.

    python3 eval/unseen11/check.py

The checks are eval/set_check.py's (see its docstring); this script only says what is particular to unseen11.
It reads eval/unseen11/corpus, eval/unseen11/outline, eval/gold/unseen11/{dev,test}.jsonl,
eval/gold/unseen11/{followups,followups_test}.jsonl, the shipped corpus/ (for uniqueness and for the shipped
evidence of the "unseen11+shipped" questions), the other eval/*/corpus/catalog.toml (to keep the bodies' names
new) and eval/gold/unseen8 and eval/gold/unseen10 (the only places the shipped section paths used here were
taken from). It runs nothing from rag/, cli/ or ui/.

Particular to unseen11
  * documents named a0n_<16 hex>.txt (the hex is not checked against the file's hash), 1,300-2,000 English words
    (a01, a03) or Han characters (a02); the invented word of each name is found by the older rule (capitalised
    words of the English name, compared with other catalogs' English names).
  * evidence keys normalised with NFKC and whitespace removed (not `*`); answer keywords and the follow-ups'
    top-level keys are not checked.
  * counts: per language fact 1, numeric 2, why 1, list 1, which_bodies 2, compare 1 and 12 unanswerable, 4 of
    them with asks "which_bodies".
Prints counts; exits 1 on any problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import set_check  # noqa: E402  (eval/set_check.py, loaded without importing the eval package)

CONFIG = set_check.SetConfig(
    name="unseen11",
    id_prefix="u11",
    doc_prefix="a",
    per_lang={"fact": 1, "numeric": 2, "why": 1, "list": 1, "which_bodies": 2, "compare": 1, "unanswerable": 12},
    asks_per_lang=4,
    verified_gold=("unseen8", "unseen10"),
    convention_from="unseen10/outline/w01_acd348d3cfe374dc.json",
    default_size=(1300, 2000),
    distinct=None,
    hashed_ids=False,
    names_own_body=False,
    strip_stars=False,
    keywords="none",
    check_followup_keys=False,
)

if __name__ == "__main__":
    sys.exit(set_check.main(CONFIG))
