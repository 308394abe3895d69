"""The source viewer: a cited document as a whole, opened at the cited passage with its quote marked.

The text is the document as the index read it (its chunks cut back into sections: rag.corpus.passages), in
section order, with each heading as the parser read it; the outline beside it jumps to any heading. It opens from
a source card's "View in document" button, and from a citation marker [n] with Shift or a double click (the
page's script presses the card's button). Rendering is a pure function (`document_html`); the panel is a
gr.Column shown over the page, its content one gr.HTML, all text escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import gradio as gr

from rag.answer.citations import body_full
from rag.corpus.catalog import Catalog
from rag.corpus.passages import Piece
from rag.types import Answer
from ui import i18n

if TYPE_CHECKING:
    from ui.service import DocumentText, PipelineService

TEXTS = {
    "viewer.open": {"zh-Hant": "在文件中查看", "en": "View in document"},
    "viewer.close": {"zh-Hant": "關閉", "en": "Close"},
    "viewer.outline": {"zh-Hant": "目錄", "en": "Outline"},
    "viewer.missing": {"zh-Hant": "文件 {doc_id} 已不在文件庫中。",
                       "en": "The document {doc_id} is no longer in the library."},
    "viewer.moved": {
        "zh-Hant": "文件在這個回答之後已更改：引文在現時的文本中找不到，以下是文件現時的內容。",
        "en": "The document changed after this answer: the quote is not in its current text, shown below.",
    },
    "viewer.not_ready": {"zh-Hant": "索引仍在建立，請稍候再試。",
                         "en": "The index is still being built; try again shortly."},
}
i18n.register(TEXTS)

# Added to the source panel's js_on_load: a card's "View in document" button asks the server for the viewer.
OPEN_FROM_CARD_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('.view-doc');
  if (!button) return;
  trigger('select', {turn: Number(button.dataset.turn), n: Number(button.dataset.n)});
});
"""

# js_on_load of the viewer's HTML: open at the quote (or the cited passage), and outline links that scroll the
# text beside them instead of the page.
VIEWER_JS = """
const scrollIn = (box, target, ratio) => {
  if (!box || !target) return;
  box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight * ratio;
};
const openAtQuote = () => requestAnimationFrame(() => {
  const text = element.querySelector('.vw-text');
  scrollIn(text, element.querySelector('#vw-quote') || element.querySelector('.vw-cited'), 0.3);
  const entries = element.querySelectorAll('a.vw-jump.has-quote');
  scrollIn(element.querySelector('.vw-outline'), entries[entries.length - 1], 0.3);
});
watch('value', openAtQuote);
openAtQuote();
element.addEventListener('click', (event) => {
  const link = event.target.closest('a.vw-jump');
  if (!link) return;
  event.preventDefault();
  scrollIn(element.querySelector('.vw-text'), element.querySelector('#' + link.dataset.target), 0);
  element.querySelectorAll('a.vw-jump.current').forEach((a) => a.classList.remove('current'));
  link.classList.add('current');
});
"""

CSS = """
.view-doc { margin: 6px 0 0 6px; padding: 2px 10px; border: 1px solid var(--border-color-primary); border-radius: 6px;
  background: var(--button-secondary-background-fill); cursor: pointer; font-size: var(--text-sm); }
#doc-viewer { position: fixed; top: 3vh; bottom: 3vh; left: 4vw; right: 4vw; z-index: 1000;
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary); border-radius: 10px;
  box-shadow: 0 10px 40px rgba(0, 0, 0, 0.35); padding: 10px 14px; overflow: hidden; width: auto !important;
  max-width: none !important; box-sizing: border-box; }
#doc-viewer-close { max-width: 8em; align-self: flex-end; }
.vw-head { margin-bottom: 8px; }
.vw-title { font-size: var(--text-lg); font-weight: 700; }
.vw-sub { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.vw-note { color: var(--body-text-color-subdued); font-size: var(--text-sm); margin: 4px 0; }
.vw-body { display: flex; gap: 14px; height: 78vh; }
.vw { width: 100%; }
.vw-outline { flex: 0 0 28%; min-width: 0; text-align: left; overflow-y: auto; padding-right: 8px;
  border-right: 1px solid var(--border-color-primary); font-size: var(--text-sm); }
.vw-outline-h { font-weight: 700; margin-bottom: 4px; }
a.vw-jump { display: block; text-align: left !important; text-decoration: none; color: var(--body-text-color);
  padding: 2px 0; line-height: 1.35; }
a.vw-jump:hover, a.vw-jump.current { color: var(--primary-600); }
a.vw-jump.has-quote { font-weight: 700; }
.vw-text { flex: 1 1 0; min-width: 0; overflow-y: auto; line-height: 1.7; padding-right: 6px; }
.vw-h { font-weight: 700; margin: 14px 0 4px; }
.vw-h.d0 { font-size: var(--text-lg); }
.vw-piece { white-space: pre-wrap; margin: 0 0 8px; padding: 2px 6px; border-left: 3px solid transparent; }
.vw-piece.vw-cited { background: var(--background-fill-secondary); border-left-color: var(--primary-500); }
.vw-piece mark { background: #fff3a3; color: #1f2937; padding: 0 1px; }
"""


def view_button(turn: int, n: int, language: str) -> str:
    """The "View in document" button of source card [n] of answer `turn` (ui.render puts it on each card)."""
    label = html.escape(i18n.t("viewer.open", language))
    return f'<button class="view-doc" type="button" data-turn="{turn}" data-n="{n}">{label}</button>'


def quote_marks(pieces: Sequence[Piece], chunk_id: str, quote: str) -> dict[int, list[tuple[int, int]]]:
    """Where to mark the quote, {piece index: [(start, end), …]}: the whole quote in the cited chunk's pieces,
    else anywhere in the document (its chunks may have been renumbered since), else each of its lines found in
    the cited chunk's pieces (a quote that runs across a joined section's title line); {} when it is not there."""
    if not quote:
        return {}
    cited = [i for i, piece in enumerate(pieces) if piece.chunk_id == chunk_id]
    others = set(range(len(pieces))) - set(cited)
    for index in [*cited, *sorted(others)]:
        start = pieces[index].text.find(quote)
        if start >= 0:
            return {index: [(start, start + len(quote))]}
    marks: dict[int, list[tuple[int, int]]] = {}
    for line in (line.strip() for line in quote.split("\n")):
        for index in cited if line else ():
            if (start := pieces[index].text.find(line)) >= 0:
                marks.setdefault(index, []).append((start, start + len(line)))
                break
    return marks


def document_html(text: DocumentText, catalog: Catalog | None, chunk_id: str, quote: str, language: str) -> str:
    """The whole document: title, outline, and its sections' text with the cited passage shaded and the quote
    marked (id `vw-quote`, which the page scrolls into view). Everything from the document is escaped."""
    esc = _esc
    document, pieces = text.document, text.pieces
    marks = quote_marks(pieces, chunk_id, quote)
    cited = set(marks) or {i for i, piece in enumerate(pieces) if piece.chunk_id == chunk_id}
    headings: dict[int, list[tuple[int, int, str]]] = {}
    for k, entry in enumerate(text.outline):
        headings.setdefault(entry.piece, []).append((k, entry.depth, entry.title))
    outline = [f'<div class="vw-outline-h">{esc(i18n.t("viewer.outline", language))}</div>']
    quoted = _quoted_entries(text, cited)
    for k, entry in enumerate(text.outline):
        css = "vw-jump has-quote" if k in quoted else "vw-jump"
        outline.append(f'<a class="{css}" href="#vw-h-{k}" data-target="vw-h-{k}" '
                       f'style="padding-left:{entry.depth * 1.1:.1f}em">{esc(entry.title)}</a>')
    body = []
    for index, piece in enumerate(pieces):
        for k, depth, title in headings.get(index, []):
            body.append(f'<div class="vw-h d{min(depth, 3)}" id="vw-h-{k}">{esc(title)}</div>')
        css = "vw-piece vw-cited" if index in cited else "vw-piece"
        content, done = "", 0
        for start, end in sorted(marks.get(index, [])):
            if start < done:
                continue
            first = ' id="vw-quote"' if index == min(marks) and done == 0 else ""
            content += f"{esc(piece.text[done:start])}<mark{first}>{esc(piece.text[start:end])}</mark>"
            done = end
        content += esc(piece.text[done:])
        body.append(f'<div class="{css}" data-chunk="{esc(piece.chunk_id)}" data-section="{esc(piece.section)}">'
                    f"{content}</div>")
    subtitle = " · ".join(part for part in (body_full(document.body, catalog), str(document.year),
                                            document.title_en) if part)
    note = "" if marks or not quote else f'<div class="vw-note">{esc(i18n.t("viewer.moved", language))}</div>'
    return (f'<div class="vw" data-doc="{esc(document.doc_id)}"><div class="vw-head">'
            f'<div class="vw-title">{esc(document.title_zh)}</div><div class="vw-sub">{esc(subtitle)}</div>{note}'
            f'</div><div class="vw-body"><nav class="vw-outline">{"".join(outline)}</nav>'
            f'<div class="vw-text">{"".join(body)}</div></div></div>')


def message_html(message: str) -> str:
    return f'<div class="vw"><div class="vw-note">{_esc(message)}</div></div>'


def _quoted_entries(text: DocumentText, cited: set[int]) -> set[int]:
    """The outline entries open at the cited passage: its section's heading and every heading above it."""
    if not cited:
        return set()
    at, open_entries = min(cited), []
    for k, entry in enumerate(text.outline):
        if entry.piece > at:
            break
        open_entries = [*open_entries[: entry.depth], k]
    return set(open_entries[: len(text.pieces[at].path)])


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


class Viewer:
    """The viewer's events over the shared service; the answers come from the page's per-session turns."""

    def __init__(self, service: PipelineService) -> None:
        self.service = service

    def html_for(self, doc_id: str, chunk_id: str, quote: str, language: str | None) -> str:
        language = i18n.language_of(language)
        if not self.service.status().ready:
            return message_html(i18n.t("viewer.not_ready", language))
        text = self.service.document_text(doc_id)
        if text is None:
            return message_html(i18n.t("viewer.missing", language, doc_id=doc_id))
        return document_html(text, self.service.catalog, chunk_id, quote, language)

    def open_from_card(self, turns: list[Answer] | None, language: str | None, event: gr.EventData) -> tuple[Any, Any]:
        """Outputs: the viewer panel (shown) and its content, for source [n] of answer `turn` (the event's data)."""
        data = getattr(event, "_data", None) or {}
        try:
            turn, n = int(data.get("turn")), int(data.get("n"))
        except (TypeError, ValueError):
            return gr.skip(), gr.skip()
        turns = turns or []
        source = next((s for s in turns[turn].sources if s.n == n), None) if 0 <= turn < len(turns) else None
        if source is None:
            return gr.skip(), gr.skip()
        html_text = self.html_for(source.doc_id, source.chunk_id, source.quote, language)
        return gr.Column(visible=True), gr.update(value=html_text)

    @staticmethod
    def close() -> tuple[Any, Any]:
        """Hide the panel and drop its content (a whole document is kept per session while it is open)."""
        return gr.Column(visible=False), gr.update(value="")


def build_viewer(service: PipelineService, labels: i18n.Labels, language: gr.components.Component,
                 sources: gr.HTML, turns: gr.State) -> gr.Column:
    """The viewer panel (hidden until a card opens it), wired to the source cards' "View in document" buttons."""
    viewer = Viewer(service)
    with gr.Column(visible=False, elem_id="doc-viewer") as panel:
        close = labels.add(gr.Button(i18n.t("viewer.close"), size="sm", elem_id="doc-viewer-close"),
                           "viewer.close", "value")
        content = gr.HTML("", elem_id="doc-viewer-content", js_on_load=VIEWER_JS)
    sources.select(viewer.open_from_card, [turns, language], [panel, content], api_visibility="private")
    close.click(viewer.close, None, [panel, content], api_visibility="private")
    return panel

