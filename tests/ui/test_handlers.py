"""Session state stays bounded: old answers of a long conversation keep their quotes, not whole passages."""

from __future__ import annotations

from rag.types import Answer, Source
from ui.handlers import TURNS_WITH_PASSAGES, _drop_old_passages


def answer(i: int) -> Answer:
    source = Source(n=1, doc_id="d", body="CMA", year=2024, title="t", section="7", heading="h", path=["h"],
                    text="passage " * 100, quote=f"quote {i}", score=1.0)
    return Answer(question=f"q{i}", language="en", mode="hybrid", answer=f"a{i} [1]", bodies=[], sources=[source])


def test_only_the_latest_answers_keep_whole_passages() -> None:
    turns: list[Answer] = []
    for i in range(TURNS_WITH_PASSAGES + 5):
        turns.append(answer(i))
        _drop_old_passages(turns)
    assert [bool(t.sources[0].text) for t in turns] == [False] * 5 + [True] * TURNS_WITH_PASSAGES
    assert [t.sources[0].quote for t in turns] == [f"quote {i}" for i in range(len(turns))]  # citations intact
    assert [t.question for t in turns] == [f"q{i}" for i in range(len(turns))]
