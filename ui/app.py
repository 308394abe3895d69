"""`rag ui`: the Gradio app for members — page layout, event wiring, and start-up."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

import gradio as gr

from embeddings.model import available_cores
from rag.config import Settings
from rag.corpus.catalog import CatalogError
from ui import assets, briefing, conversations, feedback, i18n, library, render, viewer
from ui.handlers import EXAMPLES, Handlers, example_question, filter_choices, status_html, take_question
from ui.launch import DEFAULT_HOST, DEFAULT_PORT, LaunchConfig, LaunchRefused, launch_config
from ui.service import MAX_UPLOAD_BYTES, PipelineService
from ui.store import WorkspaceError, WorkspaceStore

WAITING_ANSWER_CONCURRENCY = 16  # questions answered at once when answers wait on an LLM endpoint


def answer_concurrency(settings: Settings) -> int:
    """Questions answered at once. The pipeline is read-only while answering, so any number may run; but an
    extractive answer is CPU work under one interpreter lock, and more of them at once than the machine has cores
    only share the cores out: each answer takes longer, the longest the most. Measured with 20 users asking without
    pause on 2 cores: 16 at once gave p95 1.63 s, 4 gave 1.04 s at the same throughput. Answers that wait on an
    LLM endpoint spend their time waiting, so more of them run at once."""
    if settings.llm_base_url:
        return WAITING_ANSWER_CONCURRENCY
    return 2 * available_cores()


def build_app(service: PipelineService) -> gr.Blocks:
    """The page: filters, chat with examples, source cards beside it (and the document viewer), export, and the
    document library."""
    h = Handlers(service)
    bodies, years, documents = filter_choices(service.catalog)
    labels = i18n.Labels()  # every component whose text follows the interface language (see ui.i18n)
    with gr.Blocks(title="HK Policy QA", analytics_enabled=False) as app:
        # The interface language: the browser's at first, then the member's choice, kept in the browser.
        stored_language = gr.BrowserState(None, storage_key="hkpqa-language")
        workspace = conversations.workspace(WorkspaceStore(service.settings.workspace_db))
        with gr.Row(equal_height=True):
            with gr.Column(scale=4):
                labels.add(gr.Markdown(f"## {i18n.t('app.title')}", elem_id="heading"), "app.title", "value",
                           render=lambda text: f"## {text}")
                labels.add(gr.Markdown(i18n.t("app.intro"), elem_id="intro"), "app.intro", "value")
            language = labels.add(gr.Radio(i18n.CHOICES, value=i18n.DEFAULT.value, label=i18n.t("language.label"),
                                           show_label=False, container=False, elem_id="ui-language", scale=0,
                                           min_width=220), "language.label")
        index_status = gr.HTML(status_html(service.status()), elem_id="index-status", js_on_load=None)
        with labels.add(gr.Accordion(i18n.t("filters"), open=True), "filters"):
            with gr.Row():
                body_filter = labels.add(gr.CheckboxGroup(
                    bodies, label=i18n.t("filters.bodies"), elem_id="filter-bodies", scale=2), "filters.bodies")
                year_filter = labels.add(gr.CheckboxGroup(
                    years, label=i18n.t("filters.years"), elem_id="filter-years", scale=2), "filters.years")
                doc_filter = labels.add(gr.Dropdown(
                    documents, value=[], multiselect=True, label=i18n.t("filters.documents"), elem_id="filter-docs",
                    scale=3), "filters.documents")
        turns = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                # No copy button of the Chatbot's own (it copies the message's HTML): each answer carries its own
                # "copy answer" button with the clean text (render.answer_markdown).
                chat = labels.add(gr.Chatbot(
                    elem_id="chat", label=i18n.t("chat.label"), height=520, feedback_options=feedback.THUMBS,
                    buttons=[],
                ), "chat.label")
                with gr.Row():
                    question = labels.add(labels.add(gr.Textbox(
                        placeholder=i18n.t("chat.placeholder"),
                        label=i18n.t("chat.question"),  # hidden, but read out by screen readers
                        show_label=False,
                        elem_id="question",
                        scale=6,
                        max_length=4000,
                    ), "chat.placeholder", "placeholder"), "chat.question")
                    ask = labels.add(gr.Button(i18n.t("chat.ask"), variant="primary", elem_id="ask", scale=1),
                                     "chat.ask", "value")
                    clear = labels.add(gr.Button(i18n.t("chat.new"), elem_id="clear", scale=1), "chat.new", "value")
                examples = labels.add(gr.Dataset(
                    components=[question], samples=[[q] for q in EXAMPLES], label=i18n.t("chat.examples"),
                    elem_id="examples"
                ), "chat.examples")
                answer_status = gr.HTML("", elem_id="answer-status", js_on_load=None)
                feedback.build_feedback(workspace, labels, language, chat, turns)
            with gr.Column(scale=2):
                turn_pick = labels.add(gr.Dropdown([], value=None, label=i18n.t("chat.turn"), elem_id="turn-pick"),
                                       "chat.turn")
                sources = gr.HTML(
                    render.source_cards(None, 0, None, i18n.DEFAULT.value),
                    elem_id="sources",
                    js_on_load=assets.COPY_CITATION_JS + viewer.OPEN_FROM_CARD_JS,
                    max_height=700,
                )
                # [n] of an answer whose cards are not shown: the page's script puts the answer's number here and
                # clicks this button, which shows that answer's cards (assets.HEAD).
                cite_open = gr.Button("", elem_id="cite-open", elem_classes=["hkpqa-hidden"])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                conversations.build_conversations(app, workspace, h, labels, language, chat, turns, sources,
                                                  answer_status, turn_pick, [clear])
            with gr.Column(scale=2):
                briefing.build_briefing(workspace, service, labels, language, sources, turns)
        with labels.add(gr.Accordion(i18n.t("export"), open=False), "export"):
            with gr.Row():
                scope_choices = [("export.conversation", "conversation"), ("export.answer", "answer")]
                scope = labels.add_choices(labels.add(gr.Radio(
                    i18n.choices(scope_choices), value="conversation", label=i18n.t("export.what"),
                    elem_id="export-scope",
                ), "export.what"), scope_choices)
                export_md = labels.add(gr.Button(i18n.t("export.markdown"), elem_id="export-md"),
                                       "export.markdown", "value")
                export_docx = labels.add(gr.Button(i18n.t("export.docx"), elem_id="export-docx"),
                                         "export.docx", "value")
            exported = labels.add(gr.File(label=i18n.t("export.file"), visible=True, interactive=False,
                                          elem_id="exported"), "export.file")
        viewer.build_viewer(service, labels, language, sources, turns)
        library.build_library(service, labels, language, index_status, [body_filter, year_filter, doc_filter])

        catalog_choices = [body_filter, year_filter, doc_filter]
        app.load(h.filters, language, catalog_choices, api_visibility="private")
        timer = gr.Timer(0.5)
        timer.tick(h.poll_status, language, [index_status, timer], api_visibility="private", show_progress="hidden")
        filters = [body_filter, year_filter, doc_filter]
        chat_outputs = [chat, turns, sources, answer_status, turn_pick]
        answer_events = {"concurrency_limit": answer_concurrency(service.settings), "concurrency_id": "answer"}
        # /chat for scripts and the load test: the same handler, the question passed in (registered before the
        # page's events, which Gradio would otherwise name "chat" after the handler first).
        chat_api = gr.Button(visible=False, elem_id="chat-api")
        chat_api.click(h.chat, [question, chat, turns, *filters], chat_outputs, api_name="chat",
                       api_visibility="public", **answer_events)
        # The page empties the question box in an event of its own and answers the question kept in `asked`: the
        # box never appears among the chat's outputs (see handlers._set for the per-session copies that avoids).
        asked = gr.State("")
        page_inputs = [asked, chat, turns, *filters, language]
        taken = {"fn": take_question, "inputs": question, "outputs": [question, asked], "api_visibility": "private"}
        workspace.record(question.submit(**taken).then(h.chat, page_inputs, chat_outputs, api_visibility="private",
                                                       **answer_events))
        workspace.record(ask.click(**taken).then(h.chat, page_inputs, chat_outputs, api_visibility="private",
                                                 **answer_events))
        workspace.record(examples.click(example_question, examples, question, api_visibility="private").then(
            **taken).then(h.chat, page_inputs, chat_outputs, api_visibility="private", **answer_events))
        cleared = [chat, turns, sources, answer_status, turn_pick, question]
        clear.click(h.clear, language, cleared, api_visibility="private")
        chat.clear(h.clear, language, cleared, api_visibility="private")  # the chat's own trash button
        # Older answers are read back from the saved conversation (ui.conversations keeps the last ones whole).
        shown_turn = [turn_pick, turns, workspace.conversation, language]
        turn_pick.change(workspace.show_turn, shown_turn, [sources, answer_status], api_visibility="private")
        cite_open.click(open_turn, turn_pick, turn_pick, js=assets.CITED_TURN_JS, api_visibility="private",
                        show_progress="hidden")
        exporting = [scope, turns, turn_pick, workspace.conversation, language]
        export_md.click(lambda *a: workspace.export("md", *a), exporting, exported, api_visibility="private")
        export_docx.click(lambda *a: workspace.export("docx", *a), exporting, exported, api_visibility="private")
        gr.api(h.ask_api, api_name="ask", **answer_events)
        # Last, so every feature's labels are registered: the page follows the picked language.
        app.load(None, stored_language, language, js=i18n.BROWSER_LANGUAGE_JS, api_visibility="private")
        language.change(labels.updates, language, labels.components, api_visibility="private",
                        show_progress="hidden")
        language.change(lambda code: code, language, stored_language, js=i18n.SET_PAGE_LANGUAGE_JS,
                        api_visibility="private")
        # What the handlers wrote in the old language: index status, catalog choices, the shown answer's cards.
        language.change(h.poll_status, language, [index_status, timer], api_visibility="private",
                        show_progress="hidden")
        language.change(h.filters, language, catalog_choices, api_visibility="private", show_progress="hidden")
        language.change(workspace.show_turn, shown_turn, [sources, answer_status], api_visibility="private",
                        show_progress="hidden")
    return app


def open_turn(turn: int | None) -> dict:
    """The turn picker set to the answer whose [n] was clicked (its change event then shows that answer's cards)."""
    return gr.update(value=turn)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rag ui", description="Start the chat UI (http://127.0.0.1:7860).")
    parser.add_argument("--host", help=f"address to bind (default {DEFAULT_HOST}, or RAG_UI_HOST)")
    parser.add_argument("--port", type=int, help=f"port (default {DEFAULT_PORT}, or RAG_UI_PORT)")
    parser.add_argument("--corpus", help="corpus folder (default: ./corpus, or RAG_CORPUS_DIR)")
    parser.add_argument("--index", help="index folder (default: ./index, or RAG_INDEX_DIR)")
    return parser.parse_args(argv)


def main(argv: list[str], settings: Settings | None = None) -> int:
    """Entry point for `rag ui` (which passes the Settings it read) and `python -m ui`; returns the exit status."""
    args = parse_args(argv)
    try:
        config = launch_config(args.host, args.port, os.environ)
        overrides = {"corpus_dir": Path(args.corpus) if args.corpus else None,
                     "index_dir": Path(args.index) if args.index else None}
        settings = replace(settings, **{k: v for k, v in overrides.items() if v}) if settings \
            else Settings.from_env(**overrides)
        settings = replace(settings, warm=True)  # a server answers many questions: models loaded for speed
        service = PipelineService(settings)
    except (LaunchRefused, CatalogError, ValueError) as exc:
        print(f"rag ui: {exc}", file=sys.stderr)
        return 2
    service.start()
    try:
        app = build_app(service)
    except WorkspaceError as exc:
        print(f"rag ui: {exc}", file=sys.stderr)
        return 1
    # Gradio summarises its event log for its monitoring page (not enabled here) after every event by default: a
    # pandas table of up to 10,000 events rebuilt per answer, a tenth of the server's CPU under load (profiled).
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    app.queue(default_concurrency_limit=4)
    try:
        _launch(app, config)
    except OSError as exc:
        print(f"rag ui: cannot listen on {config.host}:{config.port} ({exc}). Choose another --port.", file=sys.stderr)
        return 1
    print(f"[rag ui] serving on http://{config.host}:{config.port} (Ctrl+C stops it)", flush=True)
    app.block_thread()
    return 0


def _launch(app: gr.Blocks, config: LaunchConfig) -> None:
    """Start serving in the background: nothing shared, fetched or reported outside the machine."""
    app.launch(
        prevent_thread_lock=True,
        server_name=config.host,
        server_port=config.port,
        auth=config.auth,
        auth_message="HK Policy QA: sign in with the user name and password you were given.",
        share=False,
        inbrowser=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        max_file_size=MAX_UPLOAD_BYTES,
        theme=assets.theme(),
        css=assets.CSS + viewer.CSS + library.CSS,
        head=assets.HEAD,
        footer_links=["api", "settings"],
        quiet=True,
    )
