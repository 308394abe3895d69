"""The library panel over the real corpus changes and a fake pipeline: the list with section counts; add (a new
body too), replace and remove, each refreshing status, filters, list and pickers; one-line refusals that change
nothing; a failed rebuild undone; other pages refreshed by polling the library version."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from rag.config import Settings
from rag.corpus.catalog import load_catalog
from rag.index.build import build_chunks
from ui.library import NEW_BODY, Library, body_choices, library_html, split_names
from ui.service import PipelineService

TEXT = (
    "香港總商會對2026年施政報告的建議\n\n"
    "一、推動創新科技發展\n\n"
    "本會建議政府設立專項基金，支援中小企業數碼轉型，並加強與大灣區其他城市的合作。"
    "同時應完善人才政策，吸引海外專業人士來港工作，提升香港的國際競爭力。\n\n"
    "二、鞏固金融中心地位\n\n"
    "本會建議擴大人民幣業務，發展綠色金融，並推動家族辦公室在港落戶。\n"
)
FOOD = "000_f19342d821a7e080"
REFRESHED = Library.REFRESHED


class FakePipeline:
    """What the service needs of a pipeline: the catalog, its chunks (parsed for real), and a rebuilt copy."""

    fail = False

    def __init__(self, settings: Settings, progress=None) -> None:
        self.settings, self.notices = settings, []
        self.catalog = load_catalog(settings.corpus_dir)
        self.chunks = build_chunks(self.catalog, settings.chunk_max_chars, settings.chunk_min_chars)

    def refreshed(self) -> FakePipeline:
        if FakePipeline.fail:
            raise RuntimeError("the disk is full")
        return FakePipeline(self.settings)


@pytest.fixture
def library(small_corpus: Path, tmp_path: Path) -> Library:
    FakePipeline.fail = False
    service = PipelineService(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index"),
                              pipeline_factory=FakePipeline)
    service.start()
    assert service.wait(10)
    return Library(service)


def upload(tmp_path: Path, text: str = TEXT, name: str = "chamber.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def choices(component) -> list:
    return [value for _, value in component.choices]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_the_list_shows_each_document_by_body_and_year_with_its_outline_size(library: Library) -> None:
    rows = library.service.library()
    assert [(r.document.body, r.document.year) for r in rows] == [("CMA", 2024), ("FHKI", 2023)]
    food = rows[0]
    assert food.sections == 28 and food.passages == sum(c.doc_id == FOOD for c in library.service._pipeline.chunks)
    html = library_html(rows, library.service.catalog, "zh-Hant")
    assert "共 2 份文件" in html and "<td>CMA 廠商會</td><td>2024</td>" in html and '<td class="num">28</td>' in html
    assert "Sections" in library_html(rows, library.service.catalog, "en")


def test_the_body_picker_offers_every_catalog_body_then_new_body(library: Library) -> None:
    assert [code for _, code in body_choices(library.service.catalog)] == ["BPA", "CMA", "FHKI", NEW_BODY]
    assert body_choices(library.service.catalog, "en")[-1] == ("New body…", NEW_BODY)
    assert library.choose_body(NEW_BODY).visible is True and library.choose_body("CMA").visible is False


def test_adding_with_a_new_body_refreshes_status_filters_list_and_pickers(library: Library, tmp_path: Path) -> None:
    out = library.add(upload(tmp_path), NEW_BODY, "總商會建議書", "Chamber proposals", 2026.0, " hkgcc ",
                      "香港總商會", "Hong Kong General Chamber of Commerce", "總商會， 港總商", "HKGCC, General Chamber",
                      "en")
    message, version, status, bodies, years, _docs, table, picker, replace_doc, remove_doc, *form = out
    assert message.startswith("Added ") and "(HKGCC 2026)" in message
    assert version == 2 and "3 documents" in status
    assert "HKGCC" in choices(bodies) and 2026 in choices(years) and "HKGCC" in table["value"]
    assert choices(picker)[-2:] == ["HKGCC", NEW_BODY] and picker.value == "HKGCC"
    assert len(choices(replace_doc)) == len(choices(remove_doc)) == 3
    assert form[0] is None and form[1].visible is False and form[2:] == [""] * 5
    body = load_catalog(library.service.settings.corpus_dir).bodies["HKGCC"]
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
def test_a_refused_add_is_one_line_and_changes_nothing(library: Library, tmp_path: Path, form: dict,
                                                       message: str) -> None:
    corpus = library.service.settings.corpus_dir
    before = snapshot(corpus)
    values = {"upload": upload(tmp_path, form.pop("text", TEXT)), "body": NEW_BODY, "title_zh": "建議書",
              "title_en": "", "year": 2026, "code": "HKGCC", "name_zh": "香港總商會", "name_en": "HK Chamber",
              "short_zh": "", "short_en": "", **form, "language": "en"}
    out = library.add(*values.values())
    assert message in out[0] and "\n" not in out[0]
    assert list(out[1:]) == [gr.skip()] * (REFRESHED + 7)  # status, filters, list, pickers and form unchanged
    assert snapshot(corpus) == before and "Index ready: 2 documents" in library.service.status().message


def test_messages_follow_the_interface_language(library: Library, tmp_path: Path) -> None:
    assert library.add(None, "CMA", "建議書", "", 2026, "", "", "", "", "", "zh-Hant")[0] == \
        "請先選擇 .txt、.pdf 或 .docx 檔案。"
    assert library.remove(FOOD, False, "zh-Hans")[0] == "请勾选确认，才会移除文件。"


def test_replace_keeps_the_document_and_refreshes(library: Library, tmp_path: Path) -> None:
    out = library.replace(FOOD, upload(tmp_path), "zh-Hant")
    assert out[0].startswith(f"已更換 {FOOD}（CMA 2024）") and out[1] == 2 and out[-1] is None
    assert library.service.document_text(FOOD).outline[0].title == "一、 推動創新科技發展"


def test_remove_needs_a_confirmation_then_refreshes(library: Library) -> None:
    refused = library.remove(FOOD, False, "en")
    assert "Tick the confirmation" in refused[0] and library.service.version == 0
    out = library.remove(FOOD, True, "en")
    assert out[0].startswith(f"Removed {FOOD} (CMA 2024)") and out[-1] is False
    assert [r.document.doc_id for r in library.service.library()] == ["002_c6cbd0b05b50272d"]


def test_a_failed_rebuild_leaves_corpus_catalog_and_index_as_they_were(library: Library, tmp_path: Path) -> None:
    corpus = library.service.settings.corpus_dir
    before, pipeline = snapshot(corpus), library.service._pipeline
    FakePipeline.fail = True
    for out in (library.remove(FOOD, True, "en"), library.replace(FOOD, upload(tmp_path), "en"),
                library.add(upload(tmp_path, name="new.txt"), "CMA", "新建議", "", 2026, "", "", "", "", "", "en")):
        assert "could not be rebuilt" in out[0] and "the disk is full" in out[0]
        assert snapshot(corpus) == before and not [p for p in corpus.iterdir() if p.name.startswith(".")]
    assert library.service._pipeline is pipeline and "Index ready: 2 documents" in library.service.status().message


def test_another_page_refreshes_once_after_a_change(library: Library, tmp_path: Path) -> None:
    other = Library(library.service)
    first = other.poll(-1, "en")  # a page opened now fills its list on its first poll
    assert first[0] == 0 and "2 documents" in first[5]["value"]
    assert other.poll(0, "en") == (gr.skip(),) * REFRESHED  # nothing changed since
    library.remove(FOOD, True, "en")
    after = other.poll(0, "en")
    assert after[0] == 2 and "1 documents" in after[5]["value"] and choices(after[4]) == ["002_c6cbd0b05b50272d"]


def test_short_names_split_on_either_languages_commas() -> None:
    assert split_names(" 總商會，港總商、 商會 ; ") == ["總商會", "港總商", "商會"]
    assert split_names(None) == []


def test_every_answer_of_the_panel_fills_exactly_the_outputs_it_is_wired_to(library: Library, tmp_path: Path) -> None:
    from ui.app import build_app

    wired = {f.fn.__name__: len(f.outputs) for f in build_app(library.service).fns.values()
             if type(getattr(f.fn, "__self__", None)).__name__ == "Library"}
    refusals = {"add": library.add(None, None, "", "", None, "", "", "", "", "", "en"),
                "replace": library.replace(None, None, "en"), "remove": library.remove(None, False, "en"),
                "poll": library.poll(library.service.version, "en")}
    successes = {"poll": library.poll(-1, "en"), "replace": library.replace(FOOD, upload(tmp_path), "en"),
                 "remove": library.remove(FOOD, True, "en"),
                 "add": library.add(upload(tmp_path, TEXT.replace("專項", "創新"), "new.txt"), "CMA", "新建議", "",
                                    2026, "", "", "", "", "", "en")}
    assert successes["add"][0].startswith("Added ") and library.service.version == 6
    for name, out in [*refusals.items(), *successes.items()]:
        assert len(out) == wired[name], name


@pytest.mark.corpus
def test_with_the_real_pipeline_a_replaced_or_removed_document_is_no_longer_found(small_corpus: Path,
                                                                                   tmp_path: Path) -> None:
    from rag.types import Mode

    service = PipelineService(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", mode=Mode.LEXICAL))
    service.start()
    assert service.wait(300)
    assert any(s.doc_id == FOOD for s in service.ask("食品產業園").sources)
    service.replace_document(FOOD, Path(upload(tmp_path, TEXT.replace("專項基金", "月球芝士基金"))), "revised.txt")
    assert any(s.doc_id == FOOD for s in service.ask("月球芝士基金").sources)
    assert service.document_text(FOOD).outline[0].title == "一、 推動創新科技發展"
    service.remove_document(FOOD)
    assert not any(s.doc_id == FOOD for s in service.ask("月球芝士基金").sources)
    assert service.document_text(FOOD) is None and service.version == 4
    assert "1 documents" in service.status().message


def test_while_a_change_is_made_every_page_is_told_and_the_old_index_stays_ready(library: Library, tmp_path: Path) -> None:
    import threading

    started, release = threading.Event(), threading.Event()

    class Slow(FakePipeline):
        def refreshed(self) -> FakePipeline:
            started.set()
            release.wait(10)
            return FakePipeline(self.settings)

    service = library.service
    service._pipeline = Slow(service.settings)
    worker = threading.Thread(target=service.remove_document, args=(FOOD,))
    worker.start()
    assert started.wait(10)
    during = Library(service).poll(0, "en")
    assert during[0] == 1 and "Updating the library" in during[1] and service.status().ready
    release.set()
    worker.join(10)
    after = Library(service).poll(1, "en")
    assert after[0] == 2 and "Index ready: 1 documents" in after[1]
