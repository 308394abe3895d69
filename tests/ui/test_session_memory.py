"""A session's stored page does not grow with answers: the chat's sources panel and answer status are kept once.

Gradio keeps each session's copy of the page (component configs with their current values). A component that a
handler skips or updates is replaced there by a copy with a new block id, and a plain value sent to it after
that was filed under the new id and kept: every answer left its source cards behind (issue 16). The app is
served in-process over a fake pipeline and asked through the /chat endpoint, as the load test does.
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator

import gradio as gr
import pytest

from rag.config import Settings
from tests.ui.test_service import FakePipeline
from ui.app import build_app
from ui.service import PipelineService

ANSWERS = 12


@pytest.fixture
def served(corpus_dir, tmp_path) -> Iterator[tuple[gr.Blocks, str]]:
    service = PipelineService(Settings(corpus_dir=corpus_dir, index_dir=tmp_path), pipeline_factory=FakePipeline)
    service.start()
    assert service.wait(10)
    app = build_app(service)
    app.queue(default_concurrency_limit=4)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, ssr_mode=False)
    try:
        yield app, f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def stored_components(app: gr.Blocks) -> Counter[str]:
    """Component kinds held in the one session's copy of the page."""
    (session,) = app.state_holder.session_data.values()
    return Counter(type(block).__name__ for block in session.blocks_config.blocks.values())


def test_answers_do_not_pile_up_in_the_session(served) -> None:
    from gradio_client import Client

    app, url = served
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    outputs = client.predict("Which bodies propose a food industrial park?", [], [], [], [], api_name="/chat")
    assert outputs[0][-1]["content"]  # the answer, and the sources panel and status delivered with it
    sources, status = (value["value"] if isinstance(value, dict) else value for value in outputs[1:3])
    assert "src-" in sources and "mode-badge" in status
    before = stored_components(app)
    for i in range(ANSWERS):
        client.predict(f"Which bodies propose a food industrial park? ({i})", [], [], [], [], api_name="/chat")
    after = stored_components(app)
    assert after["HTML"] == before["HTML"], f"{after['HTML'] - before['HTML']} HTML copies kept for {ANSWERS} answers"
    assert after == before, f"components kept per answer: {after - before}"
    (session,) = app.state_holder.session_data.values()
    (turns,) = session.state_data.values()  # the conversation's answers (gr.State)
    assert len(turns) == 1  # each call sent an empty chat: a new conversation, not answer ANSWERS + 1 of one
