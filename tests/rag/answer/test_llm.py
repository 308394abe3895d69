from __future__ import annotations

import socket
from pathlib import Path

import pytest

from rag.answer.citations import citation
from rag.answer.llm import (
    CitationCheck,
    LLMAnswerer,
    LLMConfig,
    PromptError,
    check_citations,
    format_sources,
    llm_configured,
    load_prompt,
    synthesize,
)
from rag.config import Settings
from rag.types import Source
from tests.rag.fake_llm_server import FakeLLMServer

QUESTION = "Which bodies propose a food industrial park?"
REPLY = "CMA (2024) proposes a Hong Kong food industrial park [1]. FHKI supports 「食品產業園」 [2]."
FALLBACK = "The most relevant passages: …「創建香港食品產業園」 [1]"


def make_source(n: int, body: str, year: int, section: str, heading: str, text: str) -> Source:
    return Source(
        n=n,
        doc_id=f"doc{n}",
        body=body,
        year=year,
        title=f"{body}對{year}年施政報告的建議",
        section=section,
        heading=heading,
        path=[heading],
        text=text,
        quote=text[:12],
        score=1.0 / n,
    )


@pytest.fixture
def sources() -> list[Source]:
    return [
        make_source(
            1, "CMA", 2024, "7", "創建「香港食品產業園」", "建議政府創建「香港食品產業園」，支援食品製造業升級。"
        ),
        make_source(2, "FHKI", 2025, "2.III.A", "發展食品業", "工總建議設立食品產業園，推動本地食品生產。"),
        make_source(3, "BPA", 2023, "", "其他建議", "經民聯建議加強職業培訓。"),
    ]


def config_for(server: FakeLLMServer, **overrides: float) -> LLMConfig:
    return LLMConfig(base_url=server.url, model="fake-model", **overrides)


def test_prompt_carries_question_numbered_sources_and_citation_rule(sources):
    with FakeLLMServer(reply=REPLY) as server:
        assert synthesize(QUESTION, "en", sources, config_for(server)) == REPLY
    prompt = server.prompt()
    assert QUESTION in prompt
    for n, source in enumerate(sources, 1):
        assert f"[{n}] {citation(source)}" in prompt  # the same citation as the CLI, UI and exports
        assert str(source.year) in prompt and source.text in prompt
    assert "§7 創建「香港食品產業園」" in prompt and "§2.III.A" in prompt
    assert "[1], [2]" in prompt  # the instruction to cite with [n] markers
    assert server.requests[0]["model"] == "fake-model"
    assert server.requests[0]["max_tokens"] == 600 and server.requests[0]["temperature"] == 0


def test_answer_uses_llm_and_checks_citations(sources):
    with FakeLLMServer(reply=REPLY) as server:
        result = LLMAnswerer(config_for(server)).answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    assert result.answerer == "llm"
    assert result.text == REPLY
    assert result.warnings == []


def test_stream_yields_deltas_and_final_result(sources):
    with FakeLLMServer(reply=REPLY, chunk_chars=5) as server:
        stream = LLMAnswerer(config_for(server)).stream(QUESTION, "zh-Hant", sources, fallback=lambda: FALLBACK)
        deltas = list(stream)
    assert server.requests[0]["stream"] is True
    assert len(deltas) > 3
    assert "".join(deltas) == REPLY
    assert stream.result.answerer == "llm" and stream.result.text == REPLY


def test_out_of_range_citation_is_dropped_and_flagged(sources):
    reply = "CMA proposes a food park [1][7]. BPA wants training [3]."
    with FakeLLMServer(reply=reply, chunk_chars=3) as server:
        answerer = LLMAnswerer(config_for(server))
        result = answerer.answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
        stream = answerer.stream(QUESTION, "en", sources, fallback=lambda: FALLBACK)
        streamed = "".join(stream)
    assert "[7]" not in result.text and "[1]" in result.text and "[3]" in result.text
    assert any("[7]" in w and "3 sources" in w for w in result.warnings)
    assert streamed == stream.result.text == result.text


def test_uncited_sentence_is_flagged(sources):
    reply = "## Answer\n\nCMA proposes a food park。[1]\nThe government agreed last year."
    with FakeLLMServer(reply=reply) as server:
        result = LLMAnswerer(config_for(server)).answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    assert result.answerer == "llm"
    assert any("cite no source" in w and "government agreed" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "dropped", "uncited"),
    [
        ("廠商會建議創建「香港食品產業園。」[1]工總亦支持。[2]", [], []),
        ("See [1, 9] and [0].", [9, 0], []),
        ("Growth of 3.5% is expected [2]. No source here.", [], ["No source here."]),
        ("# Heading\n\n- CMA proposes:\n- a park [1]", [], []),
        ("所提供的來源未有回答這個問題。", [], ["所提供的來源未有回答這個問題。"]),
        ("**Summary**\n1. e.g. the U.S. park [2]\nThe 2.5 ha site [1].", [], []),
    ],
)
def test_check_citations(text, dropped, uncited):
    check = check_citations(text, 3)
    assert isinstance(check, CitationCheck)
    assert check.dropped == dropped
    assert check.uncited_sentences == uncited
    assert "[9]" not in check.text and "[0]" not in check.text
    assert bool(check.warnings) == bool(dropped or uncited)


def test_server_error_falls_back_with_warning(sources):
    with FakeLLMServer(status=500) as server:
        answerer = LLMAnswerer(config_for(server))
        result = answerer.answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
        stream = answerer.stream(QUESTION, "en", sources, fallback=lambda: FALLBACK)
        streamed = list(stream)
    assert len(server.requests) == 2  # no retries
    assert result.answerer == "extractive" and result.text == FALLBACK
    assert result.warnings[0].startswith("LLM synthesis failed (") and "extractive answer shown" in result.warnings[0]
    assert streamed == [FALLBACK] and stream.result.answerer == "extractive" and stream.result.warnings


def test_timeout_falls_back_with_warning(sources):
    with FakeLLMServer(reply=REPLY, delay_s=2.5) as server:
        result = LLMAnswerer(config_for(server, timeout_s=1)).answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    assert result.answerer == "extractive" and result.text == FALLBACK
    assert "Timeout" in result.warnings[0] and "extractive answer shown" in result.warnings[0]


def test_failure_mid_stream_yields_fallback_after_partial_text(sources):
    with FakeLLMServer(reply=REPLY, chunk_chars=5, fail_after=3) as server:
        stream = LLMAnswerer(config_for(server)).stream(QUESTION, "en", sources, fallback=lambda: FALLBACK)
        deltas = list(stream)
    assert "".join(deltas[:-1]) == REPLY[:15]
    assert deltas[-1] == "\n\n" + FALLBACK
    assert stream.result.answerer == "extractive" and stream.result.text == FALLBACK
    assert "mid-stream" in stream.result.warnings[0]


def test_result_before_iteration_is_an_error(sources):
    stream = LLMAnswerer(LLMConfig()).stream(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    with pytest.raises(RuntimeError, match="iterate it to the end"):
        _ = stream.result


def test_unconfigured_llm_never_opens_a_socket(monkeypatch, sources):
    def refuse(*args: object) -> None:
        raise AssertionError("a socket was opened although no LLM endpoint is configured")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    settings = Settings()
    assert llm_configured(settings) is False
    assert llm_configured(Settings(llm_base_url="http://127.0.0.1:9/v1")) is False  # a model is needed too
    answerer = LLMAnswerer(LLMConfig.from_settings(settings))
    result = answerer.answer(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    assert (result.text, result.answerer, result.warnings) == (FALLBACK, "extractive", [])
    stream = answerer.stream(QUESTION, "en", sources, fallback=lambda: FALLBACK)
    assert list(stream) == [FALLBACK] and stream.result.answerer == "extractive"


def test_no_sources_means_no_llm_call(sources):
    with FakeLLMServer(reply=REPLY) as server:
        result = LLMAnswerer(config_for(server)).answer(QUESTION, "en", [], fallback=lambda: "No passage.")
    assert result.text == "No passage." and server.requests == []


@pytest.mark.parametrize("language", ["en", "zh-Hant", "zh-Hans"])
def test_prompts_exist_with_placeholders(language):
    template = load_prompt("answer", language)
    assert "{question}" in template and "{sources}" in template and "[1]" in template


def test_missing_prompt_names_the_file(tmp_path: Path):
    with pytest.raises(PromptError, match=r"answer_fr\.txt"):
        load_prompt("answer", "fr")
    (tmp_path / "answer_en.txt").write_text("no placeholders", encoding="utf-8")
    with pytest.raises(PromptError, match=r"\{question\}"):
        load_prompt("answer", "en", prompts_dir=tmp_path)


def test_format_sources_numbers_blocks_and_names_bodies(sources):
    text = format_sources(sources)
    assert text.index("[1] CMA") < text.index("[2] FHKI") < text.index("[3] BPA")
    assert ", 其他建議\nPassage:" in text  # an unnumbered section shows its heading


def test_config_validation():
    with pytest.raises(ValueError, match="timeout_s"):
        LLMConfig(timeout_s=0)
    assert LLMConfig.from_settings(Settings(llm_base_url="http://x/v1", llm_model="m")).configured


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
def test_stream_marker_filter_matches_check_citations_at_any_split(size):
    from rag.answer.llm import _MarkerFilter

    text = "A [1][7]. B [2, 9] and [link](x) [3]. C [12"
    markers = _MarkerFilter(3)
    streamed = "".join(markers.feed(text[i : i + size]) for i in range(0, len(text), size)) + markers.flush()
    assert streamed == check_citations(text, 3).text == "A [1]. B [2] and [link](x) [3]. C [12"
