"""The document library: every document by body and year with its section count; add, replace and remove.

Each change goes through the service, which rebuilds the index inside the corpus change (both happen or
neither: ui.service, rag.corpus.changes). Every open page polls the service's library version and refreshes its
status line, filters, list and pickers when another page (or this one) changed the library.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer.citations import body_short
from rag.corpus.catalog import Catalog
from ui import i18n
from ui.handlers import filter_choices, status_html
from ui.render import esc
from ui.service import DocumentRejected, LibraryEntry, NotReady, PipelineService, RebuildFailed

log = logging.getLogger("ui")

POLL_S = 2.0  # how often an open page asks whether the library changed
NEW_BODY = "__new_body__"  # the body picker's "New body…" choice (a real code is 2-10 letters or digits)

TEXTS = {
    "library": {"zh-Hant": "文件庫", "en": "Document library"},
    "library.body": {"zh-Hant": "機構", "en": "Body"},
    "library.year": {"zh-Hant": "年份", "en": "Year"},
    "library.title": {"zh-Hant": "標題", "en": "Title"},
    "library.doc_id": {"zh-Hant": "文件編號", "en": "Document id"},
    "library.sections": {"zh-Hant": "章節", "en": "Sections"},
    "library.passages": {"zh-Hant": "段落", "en": "Passages"},
    "library.count": {"zh-Hant": "共 {documents} 份文件", "en": "{documents} documents"},
    "library.not_ready": {"zh-Hant": "索引建立後會列出文件。",
                          "en": "The documents are listed once the index is built."},
    "library.add": {"zh-Hant": "新增文件", "en": "Add a document"},
    "library.file": {"zh-Hant": "檔案（.txt、.pdf、.docx）", "en": "File (.txt, .pdf, .docx)"},
    "library.title_zh": {"zh-Hant": "標題（中文）", "en": "Title (Chinese)"},
    "library.title_en": {"zh-Hant": "標題（英文）", "en": "Title (English)"},
    "library.new_body": {"zh-Hant": "新增機構…", "en": "New body…"},
    "library.code": {"zh-Hant": "代號（例如 HKGCC）", "en": "Code (e.g. HKGCC)"},
    "library.name_zh": {"zh-Hant": "名稱（中文）", "en": "Name (Chinese)"},
    "library.name_en": {"zh-Hant": "名稱（英文）", "en": "Name (English)"},
    "library.short_zh": {"zh-Hant": "簡稱（中文，以逗號分隔）", "en": "Short names (Chinese, comma-separated)"},
    "library.short_en": {"zh-Hant": "簡稱（英文，以逗號分隔）", "en": "Short names (English, comma-separated)"},
    "library.add_button": {"zh-Hant": "新增並更新索引", "en": "Add and reindex"},
    "library.replace": {"zh-Hant": "更換文件", "en": "Replace a document"},
    "library.document": {"zh-Hant": "文件", "en": "Document"},
    "library.new_file": {"zh-Hant": "新檔案", "en": "New file"},
    "library.replace_button": {"zh-Hant": "更換並更新索引", "en": "Replace and reindex"},
    "library.remove": {"zh-Hant": "移除文件", "en": "Remove a document"},
    "library.confirm": {"zh-Hant": "確定移除所選文件", "en": "Yes, remove the chosen document"},
    "library.remove_button": {"zh-Hant": "移除並更新索引", "en": "Remove and reindex"},
    "library.added": {"zh-Hant": "已新增 {doc_id}（{body} {year}），索引已更新。",
                      "en": "Added {doc_id} ({body} {year}) and updated the index."},
    "library.replaced": {"zh-Hant": "已更換 {doc_id}（{body} {year}）的檔案，索引已更新。",
                         "en": "Replaced the file of {doc_id} ({body} {year}) and updated the index."},
    "library.removed": {"zh-Hant": "已移除 {doc_id}（{body} {year}），索引已更新。",
                        "en": "Removed {doc_id} ({body} {year}) and updated the index."},
    "library.refused": {"zh-Hant": "未有改動：{reason}", "en": "Nothing changed: {reason}"},
    "library.failed": {"zh-Hant": "改動失敗，文件庫維持原狀；詳情見伺服器日誌。",
                       "en": "The change failed and the library is as it was; the server log has the details."},
    "library.need_file": {"zh-Hant": "請先選擇 .txt、.pdf 或 .docx 檔案。",
                          "en": "Choose a .txt, .pdf or .docx file first."},
    "library.need_body": {"zh-Hant": "請選擇撰寫文件的機構，或選「新增機構…」。",
                          "en": "Choose the body that wrote the document, or New body… to add one."},
    "library.need_code": {"zh-Hant": "請為新機構提供代號：2 至 10 個英文字母或數字，以字母開頭，例如 HKGCC。",
                          "en": "Give the new body a code: 2 to 10 letters or digits starting with a letter, "
                                "e.g. HKGCC."},
    "library.need_names": {"zh-Hant": "請提供新機構的中文及英文全名。",
                           "en": "Give the new body's full Chinese and English names."},
    "library.need_title": {"zh-Hant": "請提供文件的中文標題及年份。",
                           "en": "Give the document's Chinese title and its year."},
    "library.need_document": {"zh-Hant": "請先選擇文件。", "en": "Choose a document first."},
    "library.need_confirm": {"zh-Hant": "請勾選確認，才會移除文件。",
                             "en": "Tick the confirmation to remove the document."},
}
i18n.register(TEXTS)

CSS = """
.lib-table { width: 100%; border-collapse: collapse; border: none; font-size: var(--text-sm); }
.lib-table th, .lib-table td { text-align: left; padding: 3px 8px; border: none;
  border-bottom: 1px solid var(--border-color-primary); }
.lib-table td.num { text-align: right; }
.lib-count { color: var(--body-text-color-subdued); font-size: var(--text-sm); margin: 4px 0; }
"""


def library_html(rows: Sequence[LibraryEntry], catalog: Catalog | None, language: str | None) -> str:
    """The library as a table: body, year, title, id, section and passage counts; a row per document."""
    language = i18n.language_of(language)
    head = "".join(f"<th>{esc(i18n.t(f'library.{key}', language))}</th>"
                   for key in ("body", "year", "title", "doc_id", "sections", "passages"))
    body = []
    for row in rows:
        doc = row.document
        name = body_short(doc.body, catalog, language)
        label = doc.body if name == doc.body else f"{doc.body} {name}"
        title = doc.title_en if language == "en" and doc.title_en else doc.title_zh
        body.append(f'<tr data-doc="{esc(doc.doc_id)}" data-body="{esc(doc.body)}" data-year="{doc.year}">'
                    f"<td>{esc(label)}</td><td>{doc.year}</td><td>{esc(title)}</td><td><code>{esc(doc.doc_id)}</code>"
                    f'</td><td class="num">{row.sections}</td><td class="num">{row.passages}</td></tr>')
    count = esc(i18n.t("library.count", language, documents=len(rows)))
    return (f'<div class="lib-count" data-documents="{len(rows)}">{count}</div>'
            f'<table class="lib-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def body_choices(catalog: Catalog, language: str | None = None) -> list[tuple[str, str]]:
    """Every body of the catalog, then "New body…" to add one with the document."""
    bodies, _, _ = filter_choices(catalog, language)
    return [*bodies, (i18n.t("library.new_body", i18n.language_of(language)), NEW_BODY)]


def split_names(text: str | None) -> list[str]:
    """Short names typed in one box, separated by commas (, ， 、) or semicolons."""
    return [name.strip() for name in re.split(r"[,，、;；]", text or "") if name.strip()]


def missing_field(upload: str | None, body: str | None, title_zh: str | None, year: float | None, new: bool,
                  code: str | None, name_zh: str | None, name_en: str | None) -> str | None:
    """The key of the first thing the add form still needs; None when everything is filled in."""
    if not upload:
        return "library.need_file"
    if not body:
        return "library.need_body"
    if new and not (code or "").strip():
        return "library.need_code"
    if new and not ((name_zh or "").strip() and (name_en or "").strip()):
        return "library.need_names"
    if not (title_zh or "").strip() or year is None:
        return "library.need_title"
    return None


class Library:
    """The library's events over the shared service. Every change and every poll ends with the same refresh
    outputs: the version seen, index status, body/year/document filters, the list, and the three pickers."""

    REFRESHED = 9  # how many outputs `refresh` gives

    def __init__(self, service: PipelineService) -> None:
        self.service = service

    # -- refreshing -------------------------------------------------------------------------------------------
    def refresh(self, language: str | None) -> tuple[Any, ...]:
        status = self.service.status()
        catalog = self.service.catalog
        bodies, years, documents = filter_choices(catalog, language)
        return (
            self.service.version,
            status_html(status, language),
            gr.CheckboxGroup(choices=bodies),
            gr.CheckboxGroup(choices=years),
            gr.Dropdown(choices=documents),
            gr.update(value=self.table(language)),
            gr.Dropdown(choices=body_choices(catalog, language)),
            gr.Dropdown(choices=documents, value=None),
            gr.Dropdown(choices=documents, value=None),
        )

    def poll(self, seen: int | None, language: str | None) -> tuple[Any, ...]:
        """Refresh when the library changed since this page last looked (another page's change), else nothing."""
        if seen == self.service.version or not self.service.status().ready:
            return (gr.skip(),) * self.REFRESHED
        return self.refresh(language)

    def table(self, language: str | None) -> str:
        try:
            return library_html(self.service.library(), self.service.catalog, language)
        except NotReady:
            return f'<div class="lib-count">{esc(i18n.t("library.not_ready", i18n.language_of(language)))}</div>'

    def relabel(self, language: str | None) -> tuple[Any, Any]:
        """The list and the body picker in the newly chosen interface language."""
        return gr.update(value=self.table(language)), gr.Dropdown(choices=body_choices(self.service.catalog,
                                                                                          language))

    # -- changes ----------------------------------------------------------------------------------------------
    def choose_body(self, body: str | None) -> Any:
        """Show the new body's fields only while "New body…" is picked."""
        return gr.Group(visible=body == NEW_BODY)

    def add(self, upload: str | None, body: str | None, title_zh: str | None, title_en: str | None,
            year: float | None, code: str | None, name_zh: str | None, name_en: str | None, short_zh: str | None,
            short_en: str | None, language: str | None) -> tuple[Any, ...]:
        """Outputs: message, the refresh outputs, then the form emptied (upload, new body group and its fields)."""
        language = i18n.language_of(language)
        new = body == NEW_BODY
        if problem := missing_field(upload, body, title_zh, year, new, code, name_zh, name_en):
            return i18n.t(problem, language), *(gr.skip(),) * (self.REFRESHED + 7)
        source = Path(upload)  # the upload's own name is passed on as a string only: ingest decides the path
        names = {"name_zh": (name_zh or "").strip(), "name_en": (name_en or "").strip(),
                 "short_zh": split_names(short_zh), "short_en": split_names(short_en)} if new else None
        message, done = self._run(
            "library.added", language,
            lambda: self.service.add_document(source, source.name, (code or "").strip() if new else body,
                                              (title_zh or "").strip(), (title_en or "").strip(), int(year),
                                              body_names=names))
        if not done:
            return message, *(gr.skip(),) * (self.REFRESHED + 7)
        refreshed = list(self.refresh(language))
        refreshed[6] = gr.Dropdown(choices=body_choices(self.service.catalog, language), value=done.body)
        return message, *refreshed, None, gr.Group(visible=False), "", "", "", "", ""

    def replace(self, doc_id: str | None, upload: str | None, language: str | None) -> tuple[Any, ...]:
        """Outputs: message, the refresh outputs, the upload box emptied."""
        language = i18n.language_of(language)
        problem = "library.need_document" if not doc_id else "library.need_file" if not upload else None
        if problem:
            return i18n.t(problem, language), *(gr.skip(),) * (self.REFRESHED + 1)
        source = Path(upload)
        message, done = self._run("library.replaced", language,
                                  lambda: self.service.replace_document(doc_id, source, source.name))
        if not done:
            return message, *(gr.skip(),) * (self.REFRESHED + 1)
        return message, *self.refresh(language), None

    def remove(self, doc_id: str | None, confirmed: bool, language: str | None) -> tuple[Any, ...]:
        """Outputs: message, the refresh outputs, the confirmation cleared."""
        language = i18n.language_of(language)
        problem = "library.need_document" if not doc_id else "library.need_confirm" if not confirmed else None
        if problem:
            return i18n.t(problem, language), *(gr.skip(),) * (self.REFRESHED + 1)
        message, done = self._run("library.removed", language, lambda: self.service.remove_document(doc_id))
        if not done:
            return message, *(gr.skip(),) * (self.REFRESHED + 1)
        return message, *self.refresh(language), False

    def _run(self, done_key: str, language: str, change) -> tuple[str, Any]:
        """(message, the changed document or None): a refusal or a failure is a message, never a traceback."""
        try:
            document = change()
        except (DocumentRejected, RebuildFailed, NotReady) as exc:
            return esc(i18n.t("library.refused", language, reason=" ".join(str(exc).split()))), None
        except Exception:
            log.exception("a library change failed")
            return i18n.t("library.failed", language), None
        return esc(i18n.t(done_key, language, doc_id=document.doc_id, body=document.body, year=document.year)), \
            document


def build_library(service: PipelineService, labels: i18n.Labels, language: Any,
                  index_status: gr.HTML, filters: Sequence[Any]) -> None:
    """The library accordion: the list, then add, replace and remove; and the poll that keeps it current."""
    lib = Library(service)
    documents = filter_choices(service.catalog)[2]
    with labels.add(gr.Accordion(i18n.t("library"), open=False, elem_id="library"), "library"):
        table = gr.HTML(lib.table(None), elem_id="library-table", js_on_load=None)
        with labels.add(gr.Accordion(i18n.t("library.add"), open=True), "library.add"):
            with gr.Row():
                upload = labels.add(gr.File(file_types=[".txt", ".pdf", ".docx"], label=i18n.t("library.file"),
                                            elem_id="add-doc-file"), "library.file")
                with gr.Column():
                    body = labels.add(gr.Dropdown(body_choices(service.catalog), value=None,
                                                  label=i18n.t("library.body"), elem_id="new-body"), "library.body")
                    year = labels.add(gr.Number(label=i18n.t("library.year"), precision=0, elem_id="new-year"),
                                      "library.year")
                title_zh = labels.add(gr.Textbox(label=i18n.t("library.title_zh"), elem_id="new-title-zh"),
                                      "library.title_zh")
                title_en = labels.add(gr.Textbox(label=i18n.t("library.title_en"), elem_id="new-title-en"),
                                      "library.title_en")
            with gr.Group(visible=False, elem_id="new-body-fields") as body_group, gr.Row():
                fields = [labels.add(gr.Textbox(label=i18n.t(f"library.{key}"), elem_id=f"body-{key.replace('_', '-')}",
                                                max_length=10 if key == "code" else None), f"library.{key}")
                          for key in ("code", "name_zh", "name_en", "short_zh", "short_en")]
            add = labels.add(gr.Button(i18n.t("library.add_button"), elem_id="add-doc"), "library.add_button", "value")
        with gr.Row():
            with labels.add(gr.Accordion(i18n.t("library.replace"), open=False), "library.replace"):
                replace_doc = labels.add(gr.Dropdown(documents, value=None, label=i18n.t("library.document"),
                                                     elem_id="replace-doc"), "library.document")
                replace_file = labels.add(gr.File(file_types=[".txt", ".pdf", ".docx"],
                                                  label=i18n.t("library.new_file"), elem_id="replace-file"),
                                          "library.new_file")
                replace = labels.add(gr.Button(i18n.t("library.replace_button"), elem_id="replace-doc-button"),
                                     "library.replace_button", "value")
            with labels.add(gr.Accordion(i18n.t("library.remove"), open=False), "library.remove"):
                remove_doc = labels.add(gr.Dropdown(documents, value=None, label=i18n.t("library.document"),
                                                    elem_id="remove-doc"), "library.document")
                confirm = labels.add(gr.Checkbox(False, label=i18n.t("library.confirm"), elem_id="remove-confirm"),
                                     "library.confirm")
                remove = labels.add(gr.Button(i18n.t("library.remove_button"), variant="stop",
                                              elem_id="remove-doc-button"), "library.remove_button", "value")
        result = gr.Markdown(elem_id="library-result")
    seen = gr.State(-1)  # the library version this page shows; -1 until the first poll after the index is ready
    refreshed = [seen, index_status, *filters, table, body, replace_doc, remove_doc]
    private = {"api_visibility": "private"}
    gr.Timer(POLL_S).tick(lib.poll, [seen, language], refreshed, show_progress="hidden", **private)
    body.change(lib.choose_body, body, body_group, **private)
    add.click(lib.add, [upload, body, title_zh, title_en, year, *fields, language],
              [result, *refreshed, upload, body_group, *fields], **private)
    replace.click(lib.replace, [replace_doc, replace_file, language], [result, *refreshed, replace_file], **private)
    remove.click(lib.remove, [remove_doc, confirm, language], [result, *refreshed, confirm], **private)
    language.change(lib.relabel, language, [table, body], show_progress="hidden", **private)
