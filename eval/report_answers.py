"""The answer sections of an evaluation report: answers overall, by language and by group, the quotes shown
(eval/quotes_check.py) and the follow-up conversations; and the small Markdown helpers every section uses."""

from __future__ import annotations

from typing import Any

from eval.quotes_check import flagged_examples


def answer_sections(results: dict[str, Any], ran: dict[str, Any], k: int) -> list[str]:
    """Markdown lines for the project modes' answers, quotes and follow-ups."""
    return [*_answer_section(ran, k), *_quote_section(results, ran), *_followup_section(results, ran, k)]


def fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(fmt(v) for v in row) + " |" for row in rows),
        "",
    ]


def label(system: dict[str, Any]) -> str:
    return f"baseline: {system['label']}" if system["kind"] == "baseline" else system["label"]


def _answer_section(ran: dict[str, Any], k: int) -> list[str]:
    project = [s for s in ran.values() if s["kind"] == "project"]
    out = ["## Answers (project modes)", ""]
    if not project:
        return [*out, "No project mode ran.", ""]
    header = [
        "Mode",
        "Abstention acc. (unanswerable)",
        "False abstention (answerable)",
        "Body P",
        "Body R",
        "Body F1",
        "Keyword recall",
        "Quotes verbatim",
    ]
    rows = [
        [
            s["label"],
            s["overall"]["abstention_accuracy"],
            s["overall"]["false_abstention_rate"],
            s["overall"]["body_precision"],
            s["overall"]["body_recall"],
            s["overall"]["body_f1"],
            s["overall"]["keyword_recall"],
            s["overall"]["citation_exactness"],
        ]
        for s in project
    ]
    out += table(header, rows)
    out += [
        "Body scores cover which_bodies and compare questions (and unanswerable ones asked as \"which bodies\", "
        "whose right answer names none); keyword recall looks in the answer text and the quotes; quotes verbatim "
        "(citation exactness) is the share of quotes found verbatim (whitespace aside) in their source text and "
        "document.",
        "",
    ]
    out += ["### Answers by language (abstention acc. / false abstention / body F1)", ""]
    langs = list(project[0]["by_lang"])
    out += table(["Mode", *langs], [[s["label"], *(_answers(s["by_lang"][g]) for g in langs)] for s in project])
    groups = list(project[0].get("by_group") or {})
    if groups:
        out += ["### Answers by group (abstention acc. / false abstention / body F1)", ""]
        out += table(["Mode", *groups],
                      [[s["label"], *(_answers(s["by_group"][g]) for g in groups)] for s in project])
        out += ["Questions per group: " + ", ".join(f"{g} {project[0]['by_group'][g]['n']}" for g in groups), ""]
    return out


def _answers(group: dict[str, Any]) -> str:
    keys = ("abstention_accuracy", "false_abstention_rate", "body_f1")
    return " / ".join(fmt(group.get(key)) for key in keys)


def _quote_section(results: dict[str, Any], ran: dict[str, Any]) -> list[str]:
    project = {name: s for name, s in ran.items() if s["kind"] == "project"}
    if not project:
        return []
    out = ["## Quote quality (quotes the answers show)", ""]
    out += table(
        ["Mode", "Checked", "Flagged", "Rate", "Fragment", "Boilerplate", "Lead-in", "Verbatim"],
        [[s["label"], *(s["overall"].get(key) for key in ("quotes_checked", "quotes_flagged", "quote_flag_rate",
                                                           "quotes_fragment", "quotes_boilerplate", "quotes_lead_in",
                                                           "citation_exactness"))]
         for s in project.values()],
    )
    out += ["A fragment starts mid-sentence, is only an enumerator or is shorter than a sentence; boilerplate is a "
            "source line, disclaimer, contact or contents line; a lead-in ends in a colon with nothing after it "
            "(eval/quotes_check.py).", ""]
    for name, system in project.items():
        examples = flagged_examples([r for r in results["questions"] if r["system"] == name])
        if examples:
            out += [f"Examples ({system['label']}):", ""]
            out += [f"- {e['id']} [{e['n']}] {', '.join(e['flags'])}: 「{e['quote'][:90]}」" for e in examples]
            out.append("")
    return out


def _followup_section(results: dict[str, Any], ran: dict[str, Any], k: int) -> list[str]:
    project = {name: s for name, s in ran.items() if s["kind"] == "project" and s.get("followups")}
    if not project:
        return []
    out = ["## Follow-ups (the later turns of each conversation)", ""]
    keys = ("n", "accuracy", "body_accuracy", "year_accuracy", "language_accuracy", "abstention_rate", f"hit@{k}",
            "first_turn_accuracy")
    out += table(["Mode", "Conversations", "Right", "Body", "Year", "Language", "Abstained", f"Hit@{k}",
                   "First turn right"],
                  [[s["label"], *(s["followups"].get(key) for key in keys)] for s in project.values()])
    out += ["Right: no abstention, exactly the turn's bodies, cited years within the turn's, the turn's language.",
            ""]
    for name, system in project.items():
        wrong = [r for r in results.get("followups", []) if r["system"] == name and not r["correct"]]
        if wrong:
            out += [f"Wrong ({system['label']}):", ""]
            out += [f"- {r['id']} ({r['retarget']}): {_why_wrong(r)}" for r in wrong[:10]]
            out.append("")
    return out


def _why_wrong(record: dict[str, Any]) -> str:
    if record.get("error"):
        return str(record["error"])
    turn = next(t for t in record["turns"][1:] if not t["correct"])
    checks = ((not turn["abstained"], "abstained"), (turn["body_ok"], f"bodies {turn['bodies']}"),
              (turn["year_ok"], f"years {turn['years']}"), (turn["language_ok"], f"language {turn['language']}"))
    problems = [what for ok, what in checks if not ok]
    return f"「{turn['question']}」 → {'; '.join(problems)}"


