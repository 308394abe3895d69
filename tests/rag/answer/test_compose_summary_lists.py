"""A paper that lists its recommendations again at the end, as fragments under a lead-in: the answer quotes the
body's own sentence, never an item of the list. Documents invented here."""

from __future__ import annotations

import shutil

import pytest

from rag.config import Settings
from rag.pipeline import Pipeline
from rag.types import Mode
from tests.rag.conftest import LANGUAGE_DATA, SHIPPED

CATALOG = """\
[bodies.IOB]
name_zh = "香港建造師學會"
name_en = "Institute of Builders"
short_zh = ["建造師學會"]
short_en = ["IOB", "Builders Institute"]

[[documents]]
id = "iob_2026"
file = "iob_2026.txt"
body = "IOB"
title_zh = "香港建造師學會對2026年施政報告的建議"
title_en = "Institute of Builders submission on the 2026 Policy Address"
year = 2026
kind = "policy_address_submission"
front_matter_lines = 1
"""

PAPER = """\
Institute of Builders: Submission on the 2026 Policy Address

Site Safety

1. Construction employs one worker in ten but accounts for a third of fatal accidents at work. The Institute
recommends a Digital Safety Passport for every registered worker, holding training records and site passes.

Housing Supply

2. Approvals for large housing projects take too long. We recommend a Joint Vetting Panel that would cut main
approvals for large housing projects to eight months.

Summary of Recommendations

3. For ease of reference, the Institute's recommendations are:
   \u2022 a Digital Safety Passport for all registered workers;
   \u2022 a Joint Vetting Panel to cut main approvals for large housing projects to eight months.
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    folder = tmp_path_factory.mktemp("summary-lists") / "corpus"
    folder.mkdir()
    (folder / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (folder / "iob_2026.txt").write_text(PAPER, encoding="utf-8")
    for name in LANGUAGE_DATA:
        shutil.copy(SHIPPED / name, folder / name)
    shutil.copytree(SHIPPED / "lexicon", folder / "lexicon")
    index = tmp_path_factory.mktemp("summary-lists-index")
    return Pipeline(Settings(corpus_dir=folder, index_dir=index, mode=Mode.LEXICAL))


@pytest.mark.parametrize("question", [
    "What does the Builders Institute propose on a digital safety passport for workers?",
    "建造師學會建議聯合審批小組把大型房屋項目的主要審批時間縮短至多久？",
])
def test_the_body_s_own_sentence_is_quoted_not_an_item_of_its_summary_list(pipeline: Pipeline,
                                                                            question: str) -> None:
    answer = pipeline.ask(question)
    cited = [s for s in answer.sources if f"[{s.n}]" in answer.answer]
    assert cited, answer.answer
    for source in cited:
        assert source.quote[:1].isupper() or source.quote[:1].isdigit(), source.quote  # a whole sentence
        assert source.path[:1] != ["Summary of Recommendations"], source.path
