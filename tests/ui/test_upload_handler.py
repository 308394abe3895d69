"""The upload form's handler over the real ingest and a fake pipeline: every catalog body plus "New body…",
one-line refusals, and status, filters and body picker updated after an add."""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr
import pytest

from rag.config import Settings
from rag.corpus.catalog import load_catalog
from ui.handlers import NEW_BODY, Handlers, split_names, upload_body_choices
from ui.service import PipelineService

TEXT = (
    "香港總商會對2026年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立專項基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。"
    "同時應完善人才政策，吸引海外專業人士來港工作，提升香港的國際競爭力。\n"
)


class FakePipeline:
    """What the service needs of a pipeline: a catalog, its chunks, and a refresh after a corpus change."""

    def __init__(self, settings: Settings, progress=None) -> None:
        self.settings, self.notices = settings, []
        self.refresh()

    def refresh(self) -> None:
        self.catalog = load_catalog(self.settings.corpus_dir)
        self.chunks = [object()] * (10 * len(self.catalog.documents))


@pytest.fixture
def handlers(small_corpus: Path, tmp_path: Path) -> Handlers:
    service = PipelineService(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index"),
                              pipeline_factory=FakePipeline)
    service.start()
    assert service.wait(10)
    return Handlers(service)


def upload(tmp_path: Path, text: str = TEXT) -> str:
    path = tmp_path / "chamber.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def choices(component) -> list:
    return [value for _, value in component.choices]


def test_the_body_picker_offers_every_catalog_body_then_new_body(handlers: Handlers) -> None:
    assert [code for _, code in upload_body_choices(handlers.service.catalog)] == ["BPA", "CMA", "FHKI", NEW_BODY]
    assert handlers.choose_body(NEW_BODY).visible is True
    assert handlers.choose_body("CMA").visible is False


def test_adding_with_a_new_body_updates_status_filters_and_picker(handlers: Handlers, tmp_path: Path) -> None:
    out = handlers.add_document(upload(tmp_path), NEW_BODY, "總商會建議書", "Chamber proposals", 2026.0,
                                " hkgcc ", "香港總商會", "Hong Kong General Chamber of Commerce", "總商會， 港總商",
                                "HKGCC, General Chamber", language="en")
    message, status, bodies, years, _documents, picker, upload_box, group, *fields = out
    assert message.startswith("Added ") and "(HKGCC 2026)" in message
    assert "3 documents, 30 passages" in status
    assert "HKGCC" in choices(bodies) and 2026 in choices(years)
    assert choices(picker)[-2:] == ["HKGCC", NEW_BODY] and picker.value == "HKGCC"
    assert upload_box is None and group.visible is False and fields == [""] * 5
    body = load_catalog(handlers.service.settings.corpus_dir).bodies["HKGCC"]
    assert (body.short_zh, body.short_en) == (("總商會", "港總商"), ("HKGCC", "General Chamber"))


@pytest.mark.parametrize(("form", "message"), [
    ({"upload": None}, "Choose a .txt, .pdf or .docx file first."),
    ({"body": None}, "Choose the body"),
    ({"code": " "}, "Give the new body a code"),
    ({"name_en": ""}, "full Chinese and English names"),
    ({"title_zh": ""}, "Chinese title"),
    ({"code": "HK GCC"}, "letters or digits"),
    ({"code": "fhki"}, "Body FHKI already exists"),
    ({"name_zh": "香港\n總商會"}, "control characters"),
    ({"short_zh": "工總"}, "already a name of body FHKI"),
    ({"text": "封面\n2026\n"}, "yields no passage to index"),
])
def test_a_refused_upload_is_one_line_and_changes_nothing(handlers: Handlers, tmp_path: Path, form: dict,
                                                          message: str) -> None:
    catalog_file = handlers.service.settings.corpus_dir / "catalog.toml"
    before = catalog_file.read_bytes()
    values = {"upload": upload(tmp_path, form.pop("text", TEXT)), "body": NEW_BODY, "title_zh": "建議書",
              "title_en": "", "year": 2026, "code": "HKGCC", "name_zh": "香港總商會", "name_en": "HK Chamber",
              "short_zh": "", "short_en": "", **form}
    out = handlers.add_document(*values.values(), language="en")
    assert message in out[0] and "\n" not in out[0]
    assert list(out[1:]) == [gr.skip()] * 12  # status, filters, picker and form stay as they were
    assert catalog_file.read_bytes() == before


def test_a_refused_upload_speaks_the_interface_language(handlers: Handlers, tmp_path: Path) -> None:
    missing = handlers.add_document(None, "CMA", "建議書", "", 2026, language="zh-Hans")
    refused = handlers.add_document(upload(tmp_path, "封面\n2026\n"), "CMA", "建議書", "", 2026, language="zh-Hant")
    assert missing[0] == "请先选择 .txt、.pdf 或 .docx 文件。"
    assert refused[0].startswith("文件未能加入") and not re.search(r"[A-Za-z]{3}", refused[0])


def test_short_names_split_on_either_languages_commas() -> None:
    assert split_names(" 總商會，港總商、 商會 ; ") == ["總商會", "港總商", "商會"]
    assert split_names(None) == []
