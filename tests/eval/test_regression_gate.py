"""CI gate: lexical and hybrid retrieval and answers on the dev split stay within 0.03 of eval/baseline_dev_<mode>.json."""

from __future__ import annotations

import pytest

from eval.gate import GATE_K, GATE_MODES, GATE_SPLIT, GateError, check_regression, load_baseline, write_baseline
from eval.runner import pipeline_ask, run_eval

BASELINE = {"metrics": {"hit@5": 0.90, "mrr@10": 0.80}}


def test_gate_passes_within_tolerance_and_on_improvement():
    assert check_regression({"hit@5": 0.875, "mrr@10": 0.95}, BASELINE) == []


def test_gate_fails_on_a_drop_larger_than_tolerance():
    failures = check_regression({"hit@5": 0.86, "mrr@10": 0.80}, BASELINE)
    assert failures == ["hit@5 fell from 0.900 to 0.860 (more than 0.03 below the baseline)."]


def test_gate_checks_answer_metrics_when_the_baseline_has_them():
    baseline = {"metrics": {"hit@5": 0.9, "mrr@10": 0.8, "body_f1": 0.98, "abstention_accuracy": 1.0,
                            "false_abstention_rate": 0.0}}
    ok = {"hit@5": 0.9, "mrr@10": 0.8, "body_f1": 0.98, "abstention_accuracy": 1.0, "false_abstention_rate": 0.02}
    assert check_regression(ok, baseline) == []
    worse = {**ok, "abstention_accuracy": 0.889, "false_abstention_rate": 0.042}
    assert check_regression(worse, baseline) == [
        "abstention_accuracy fell from 1.000 to 0.889 (more than 0.03 below the baseline).",
        "false_abstention_rate rose from 0.000 to 0.042 (more than 0.03 above the baseline).",
    ]


def test_gate_fails_on_missing_metric():
    assert check_regression({"hit@5": 0.9}, BASELINE) == ["mrr@10 is missing from the results."]


def test_missing_baseline_file_says_how_to_create_it(tmp_path):
    with pytest.raises(GateError, match="--write-baseline"):
        load_baseline("lexical", tmp_path / "none.json")


def test_write_baseline_refuses_other_splits(tmp_path):
    results = {"meta": {"gold": "test", "k": 5}, "systems": {}}
    with pytest.raises(GateError, match="dev split"):
        write_baseline(results, "lexical", tmp_path / "b.json")


@pytest.mark.corpus
@pytest.mark.parametrize("mode", GATE_MODES)
def test_dev_retrieval_and_answers_have_not_regressed(shared_pipeline, mode):
    baseline = load_baseline(mode)
    results = run_eval(
        GATE_SPLIT,
        modes=[mode],
        k=GATE_K,
        baselines=False,
        progress=False,
        ask=pipeline_ask(shared_pipeline),
        chunk_texts=[],
    )
    system = results["systems"][mode]
    assert system["status"] == "ok", f"{mode} mode did not run as {mode}: {system}"
    failures = check_regression(system["overall"], baseline)
    if failures and baseline.get("gold_digest") != results["meta"]["gold_digest"]:
        failures.append(
            "Note: the dev split changed since the baseline was written; if the new questions "
            "explain the drop, rewrite the baseline with --write-baseline."
        )
    assert not failures, "\n".join(failures)
