"""The briefing builder: pin a quote from any answer's source card, order the pinned items, add a note to each,
and export one DOCX (Word footnotes) or one Markdown file (`rag.answer.briefing`).

The briefing belongs to the browser (its owner id, see ui.conversations), not to one conversation: quotes pinned
in several conversations go into one briefing, and it survives a reload and a restart in the workspace store.
Source cards carry a pin button (ui.render); this module adds the listener for it to the sources panel's script.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from rag.answer.briefing import BriefingItem, BriefingLabels, quote_text
from rag.answer.citations import citation
from rag.types import Answer
from ui import i18n
from ui.conversations import TURNS_IN_MEMORY, Workspace
from ui.render import esc
from ui.service import PipelineService
from ui.store import Pin

TEXTS = {
    "briefing": {"zh-Hant": "簡報", "en": "Briefing"},
    "briefing.pin": {"zh-Hant": "加入簡報", "en": "Pin to briefing"},
    "briefing.pinned": {"zh-Hant": "已加入簡報。", "en": "Pinned to the briefing."},
    "briefing.already": {"zh-Hant": "這段引文已在簡報中。", "en": "That quote is already in the briefing."},
    "briefing.empty": {
        "zh-Hant": "還沒有釘選的引文：按來源卡上的「加入簡報」。",
        "en": 'Nothing pinned yet: press "Pin to briefing" on a source card.',
    },
    "briefing.up": {"zh-Hant": "上移", "en": "Move up"},
    "briefing.down": {"zh-Hant": "下移", "en": "Move down"},
    "briefing.remove": {"zh-Hant": "移除", "en": "Remove"},
    "briefing.note": {"zh-Hant": "備註：", "en": "Note: "},
    "briefing.note_placeholder": {"zh-Hant": "你的備註（可選）", "en": "Your note (optional)"},
    "briefing.question": {"zh-Hant": "提問：", "en": "Question: "},
    "briefing.export_docx": {"zh-Hant": "匯出 Word (DOCX)", "en": "Export Word (DOCX)"},
    "briefing.export_md": {"zh-Hant": "匯出 Markdown", "en": "Export Markdown"},
    "briefing.file": {"zh-Hant": "簡報檔案", "en": "Briefing file"},
    "briefing.title": {"zh-Hant": "簡報：商會政策建議摘錄", "en": "Briefing: quotes from the bodies' submissions"},
    "briefing.gone": {
        "zh-Hant": "找不到這個答案，請再提問一次。", "en": "That answer is no longer available; ask again.",
    },
}
i18n.register(TEXTS)

# Added to the sources panel's js_on_load: a card's pin button asks the server to pin that source.
PIN_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('.pin-quote');
  if (!button) return;
  trigger('pin', {turn: Number(button.dataset.turn), n: Number(button.dataset.n)});
  button.classList.add('pinned');
});
"""
# The briefing panel: one delegated listener for its buttons, one for its notes (saved when a note is left).
PANEL_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-act]');
  if (button) trigger('act', {act: button.dataset.act, id: Number(button.dataset.id)});
});
element.addEventListener('change', (event) => {
  const note = event.target.closest('textarea.brief-note');
  if (note) trigger('act', {act: 'note', id: Number(note.dataset.id), note: note.value});
});
"""

# Scoped to their panels (gr.HTML css_template); theme variables, so dark mode reads as well as light.
PIN_CSS = """
.pin-quote { margin: 6px 0 0 6px; padding: 2px 10px; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--button-secondary-background-fill); color: var(--body-text-color);
  cursor: pointer; font-size: var(--text-sm); }
.pin-quote.pinned { border-color: var(--color-accent); }
"""
PANEL_CSS = """
.brief-empty { color: var(--body-text-color-subdued); padding: 8px; }
.brief-items { margin: 0; padding-left: 1.6em; }
.brief-item { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 8px; margin-bottom: 8px;
  background: var(--background-fill-secondary); color: var(--body-text-color); }
.brief-quote { line-height: 1.6; }
.brief-cite, .brief-question { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.brief-note { width: 100%; margin-top: 4px; font: inherit; font-size: var(--text-sm); color: var(--body-text-color);
  background: var(--input-background-fill); border: 1px solid var(--border-color-primary); border-radius: 6px; }
.brief-actions button { margin: 4px 6px 0 0; padding: 1px 8px; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--button-secondary-background-fill); color: var(--body-text-color); }
.brief-actions button:disabled { opacity: 0.4; }
"""


def panel_html(pins: list[Pin], language: str, service: PipelineService | None = None) -> str:
    """The pinned items in order, each with its quote, citation, question, note box and buttons."""
    if not pins:
        return f'<div class="brief-empty">{esc(i18n.t("briefing.empty", language))}</div>'
    catalog = service.catalog if service else None
    words = {key: esc(i18n.t(f"briefing.{key}", language)) for key in
             ("up", "down", "remove", "note_placeholder", "question")}
    items = []
    for position, pin in enumerate(pins, 1):
        items.append(
            f'<li class="brief-item" data-id="{pin.id}">'
            f'<div class="brief-quote">{esc(quote_text(pin.source))}</div>'
            f'<div class="brief-cite">{esc(citation(pin.source, catalog))}</div>'
            f'<div class="brief-question">{words["question"]}{esc(pin.question)}</div>'
            f'<textarea class="brief-note" data-id="{pin.id}" rows="2" placeholder="{words["note_placeholder"]}">'
            f"{esc(pin.note)}</textarea>"
            f'<div class="brief-actions">'
            f'<button type="button" data-act="up" data-id="{pin.id}" title="{words["up"]}"'
            f'{" disabled" if position == 1 else ""}>↑</button>'
            f'<button type="button" data-act="down" data-id="{pin.id}" title="{words["down"]}"'
            f'{" disabled" if position == len(pins) else ""}>↓</button>'
            f'<button type="button" data-act="remove" data-id="{pin.id}">✕ {words["remove"]}</button>'
            f"</div></li>"
        )
    return f'<ol class="brief-items">{"".join(items)}</ol>'


def export_labels(language: str) -> BriefingLabels:
    return BriefingLabels(question=i18n.t("briefing.question", language), note=i18n.t("briefing.note", language),
                          empty=i18n.t("briefing.empty", language))


def build_briefing(workspace: Workspace, service: PipelineService, labels: i18n.Labels, language: Any,
                   sources: Any, turns: Any) -> None:
    """The briefing panel and its export buttons; pins come from the source cards of `sources`."""
    store = workspace.store
    owner = workspace.owner
    with labels.add(gr.Accordion(i18n.t("briefing"), open=True, elem_id="briefing-box"), "briefing"):
        panel = gr.HTML(panel_html([], i18n.DEFAULT), elem_id="briefing", js_on_load=PANEL_JS,
                        css_template=PANEL_CSS)
        with gr.Row():
            docx = labels.add(gr.Button(i18n.t("briefing.export_docx"), elem_id="briefing-docx"),
                              "briefing.export_docx", "value")
            markdown = labels.add(gr.Button(i18n.t("briefing.export_md"), elem_id="briefing-md"),
                                  "briefing.export_md", "value")
        exported = labels.add(gr.File(label=i18n.t("briefing.file"), interactive=False, visible=False,
                                      elem_id="briefing-file"),
                              "briefing.file")
    sources.js_on_load = (sources.js_on_load or "") + PIN_JS  # the cards' pin buttons (ui.render)
    sources.css_template = (sources.css_template or "") + PIN_CSS

    def shown(who: str, language: str) -> dict:
        return gr.update(value=panel_html(store.pins(who), language, service) if who else
                         panel_html([], language))

    def pin(who: str, current: str, kept: list[Answer] | None, language: str, event: gr.EventData) -> dict:
        turn, n = int(event.turn), int(event.n)
        kept = kept or []
        answer: Answer | None = kept[turn] if len(kept) - TURNS_IN_MEMORY <= turn < len(kept) else None
        if answer is None and current:
            answer = store.answers(current, [turn]).get(turn)
        source = next((s for s in answer.sources if s.n == n), None) if answer else None
        if not who or source is None:
            gr.Warning(i18n.t("briefing.gone", language))
            return gr.skip()
        added = store.pin(who, answer.question, str(answer.language), source)
        gr.Info(i18n.t("briefing.pinned" if added else "briefing.already", language))
        return shown(who, language)

    def act(who: str, language: str, event: gr.EventData) -> dict:
        action, pin_id = str(event.act), int(event.id)
        if action in ("up", "down"):
            store.move_pin(who, pin_id, -1 if action == "up" else 1)
        elif action == "remove":
            store.unpin(who, pin_id)
        elif action == "note":
            store.set_note(who, pin_id, str(getattr(event, "note", "") or ""))
            return gr.skip()  # the box already shows the note; re-drawing would lose the cursor
        return shown(who, language)

    def export(fmt: str, who: str, language: str) -> Any:
        items = [BriefingItem(p.source, p.question, p.note) for p in store.pins(who)] if who else []
        path = service.export_briefing(items, fmt, i18n.t("briefing.title", language), export_labels(language))
        return gr.File(value=str(path), visible=True)

    private = {"api_visibility": "private"}
    workspace.loaded.then(shown, [owner, language], panel, **private)
    language.change(shown, [owner, language], panel, **private)
    sources.pin(pin, [owner, workspace.conversation, turns, language], panel, **private)
    panel.act(act, [owner, language], panel, **private)
    docx.click(lambda who, lang: export("docx", who, lang), [owner, language], exported, **private)
    markdown.click(lambda who, lang: export("md", who, lang), [owner, language], exported, **private)
