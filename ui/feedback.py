"""Thumbs up/down on an answer, with an optional comment, kept in the workspace store.

`rag feedback export FILE` (eval.candidates) turns the ratings into candidate gold questions that
`rag eval --gold FILE` reads. A thumb names a chat message; the store knows which saved answer each message shows.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import gradio as gr

from rag.types import Answer
from ui import i18n
from ui.conversations import TURNS_IN_MEMORY, Workspace

log = logging.getLogger("ui")

TEXTS = {
    "feedback.comment": {"zh-Hant": "對答案 {n} 的意見（可選）", "en": "Comment on answer {n} (optional)"},
    "feedback.comment_label": {"zh-Hant": "意見（可選）", "en": "Comment (optional)"},
    "feedback.placeholder": {"zh-Hant": "哪裏不對？缺了甚麼？", "en": "What was wrong or missing?"},
    "feedback.send": {"zh-Hant": "送出意見", "en": "Send comment"},
    "feedback.thanks": {"zh-Hant": "謝謝，已記下你的評價。", "en": "Thank you: your rating is saved."},
    "feedback.comment_saved": {"zh-Hant": "謝謝，已保存意見。", "en": "Thank you: your comment is saved."},
    "feedback.withdrawn": {"zh-Hant": "已撤回評價。", "en": "Rating withdrawn."},
    "feedback.not_an_answer": {
        "zh-Hant": "只有已保存的答案可以評價。", "en": "Only saved answers can be rated.",
    },
    "feedback.failed": {
        "zh-Hant": "未能保存評價（工作區檔案無法寫入）。", "en": "The rating could not be saved (the workspace file is "
        "not writable).",
    },
}
i18n.register(TEXTS)

LIKE, DISLIKE = "Like", "Dislike"  # Gradio draws these two feedback options as thumbs
THUMBS = (LIKE, DISLIKE)


def build_feedback(workspace: Workspace, labels: i18n.Labels, language: Any, chat: Any, turns: Any) -> None:
    """The thumbs on the chat's answers, and a comment box that opens after a thumb is clicked."""
    store = workspace.store
    rated = gr.State(None)  # the saved answer (seq) the comment box is about
    with gr.Group(visible=False, elem_id="feedback-box") as box, gr.Row():
        comment = labels.add(gr.Textbox(label=i18n.t("feedback.comment_label"), elem_id="feedback-comment",
                                        placeholder=i18n.t("feedback.placeholder"), scale=5, max_length=2000),
                             "feedback.comment_label")
        labels.add(comment, "feedback.placeholder", "placeholder")
        send = labels.add(gr.Button(i18n.t("feedback.send"), elem_id="feedback-send", scale=1),
                          "feedback.send", "value")

    def rate(current: str, kept: list[Answer] | None, language: str, data: gr.LikeData) -> tuple[Any, Any, Any]:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        seq = store.seq_of_message(current, int(index)) if current else None
        if seq is None:
            gr.Warning(i18n.t("feedback.not_an_answer", language))
            return gr.skip(), gr.skip(), gr.skip()
        kept = kept or []
        if seq >= len(kept) - TURNS_IN_MEMORY and seq < len(kept):
            answer: Answer | None = kept[seq]
        else:
            answer = store.answers(current, [seq]).get(seq)
        if answer is None:
            gr.Warning(i18n.t("feedback.not_an_answer", language))
            return gr.skip(), gr.skip(), gr.skip()
        rating = {True: "up", False: "down", LIKE: "up", DISLIKE: "down"}.get(data.liked)
        try:
            store.rate(current, seq, rating, answer)
        except sqlite3.Error:
            log.exception("saving a rating failed")
            gr.Warning(i18n.t("feedback.failed", language))
            return gr.skip(), gr.skip(), gr.skip()
        if rating is None:
            gr.Info(i18n.t("feedback.withdrawn", language))
            return gr.Group(visible=False), None, gr.skip()
        gr.Info(i18n.t("feedback.thanks", language))
        return gr.Group(visible=True), seq, gr.Textbox(label=i18n.t("feedback.comment", language, n=seq + 1))

    def commented(current: str, seq: int | None, text: str | None, language: str) -> tuple[Any, Any, Any]:
        if seq is None or not current:
            return gr.Group(visible=False), None, gr.skip()
        try:
            saved = store.comment(current, seq, text or "")
        except sqlite3.Error:
            log.exception("saving a comment failed")
            gr.Warning(i18n.t("feedback.failed", language))
            return gr.skip(), gr.skip(), gr.skip()
        if saved:
            gr.Info(i18n.t("feedback.comment_saved", language))
        return gr.Group(visible=False), None, gr.Textbox(value="")

    private = {"api_visibility": "private"}
    chat.like(rate, [workspace.conversation, turns, language], [box, rated, comment], **private)
    send.click(commented, [workspace.conversation, rated, comment, language], [box, rated, comment], **private)
