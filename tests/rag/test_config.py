"""Judge thresholds live in Settings, are validated there, and reach answers through the public API."""

from __future__ import annotations

import pytest

from rag.config import JudgeSettings, Settings


@pytest.mark.parametrize("name", ["abstain_below", "body_keep_at", "body_keep_relative", "cite_at",
                                  "partial_credit", "dictionary_weight"])
@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_share_outside_zero_and_one_raises(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{name} must be between 0 and 1."):
        JudgeSettings(**{name: value})


@pytest.mark.parametrize("name", ["max_cited", "per_body", "window_sentences"])
def test_count_below_one_raises(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be at least 1."):
        JudgeSettings(**{name: 0})


def test_settings_carry_the_judge_defaults() -> None:
    assert Settings().judge == JudgeSettings()
    assert Settings(judge=JudgeSettings(body_keep_at=0.5)).judge.body_keep_at == 0.5


def test_with_judge_answers_with_other_thresholds_and_leaves_the_pipeline_alone(shared_pipeline) -> None:
    question = "在發展低空經濟方面，廠商會建議特區政府從哪幾方面入手？"
    default = shared_pipeline.ask(question)
    assert default.answer.count("\n- ") > 1
    one = shared_pipeline.with_judge(JudgeSettings(max_cited=1)).ask(question)
    assert one.answer.count("\n- ") == 1 and one.sources == default.sources
    strict = shared_pipeline.with_judge(JudgeSettings(abstain_below=1.0)).ask(question)
    assert strict.abstained
    assert shared_pipeline.settings.judge == JudgeSettings() and shared_pipeline.ask(question).answer == default.answer
