"""The section parser on the real corpus (its traps) and on small synthetic texts (every family)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import render_outline
from rag.corpus.catalog import load_catalog
from rag.corpus.loader import read_text
from rag.corpus.sections import Section, outline_rows, parse_document

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "outline"


def parsed(doc_id: str) -> Section:
    catalog = load_catalog(ROOT / "corpus")
    doc = catalog.document(doc_id)
    return parse_document(read_text(catalog.path_of(doc)), doc.front_matter_lines)


def numbered(root: Section, family: str | None = None) -> list[Section]:
    return [s for s in root.walk() if s.number and (family is None or s.family == family)]


@pytest.mark.corpus
@pytest.mark.parametrize("doc_id", sorted(p.stem for p in SNAPSHOTS.glob("*.txt")))
def test_outline_matches_checked_snapshot(doc_id: str) -> None:
    root = parsed(doc_id)
    text = render_outline(doc_id, root.heading, root.text_length, outline_rows(root))
    assert text == (SNAPSHOTS / f"{doc_id}.txt").read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.corpus
def test_000_decimals_are_not_headings_and_sections_run_1_to_22() -> None:
    root = parsed("000_f19342d821a7e080")
    assert [s.number for s in numbered(root)] == [str(n) for n in range(1, 23)]
    text = "".join(p for s in root.walk() for p in s.paragraphs)
    assert "3.15%，出口總值更已接近 100 億美元水平" in text
    assert "381.3 萬人" in text


@pytest.mark.corpus
def test_000_lone_page_number_inside_section_9_is_dropped_and_the_sentence_rejoined() -> None:
    section9 = next(s for s in numbered(parsed("000_f19342d821a7e080")) if s.number == "9")
    assert "更可考慮調整相關政府基金的撥款條件" in "".join(section9.paragraphs)
    assert "11" not in [s.number for s in section9.children]


@pytest.mark.corpus
def test_000_group_headings_parent_their_numbered_sections() -> None:
    root = parsed("000_f19342d821a7e080")
    seven = next(s for s in numbered(root) if s.number == "7")
    assert seven.path() == ("切實推動「新型工業化」", "7. 創建「香港食品產業園」")


@pytest.mark.corpus
def test_001_has_two_different_sections_numbered_11() -> None:
    elevens = [s for s in numbered(parsed("001_71c315f42cdfb4f4"), "arabic_dot") if s.number == "11"]
    assert [s.heading for s in elevens] == ["打造區域知識產權貿易中心", "以破格思維推進北都建設"]
    assert elevens[0].parent is not elevens[1].parent
    assert [c.number for c in elevens[1].children] == ["(1)", "(2)", "(3)"]


@pytest.mark.corpus
def test_001_dash_paren_items_are_subsections_with_bold_or_lead_headings() -> None:
    eight = next(s for s in numbered(parsed("001_71c315f42cdfb4f4")) if s.number == "8")
    assert [c.number_path for c in eight.children] == ["8(1)", "8(2)", "8(3)"]
    assert eight.children[0].heading == "香港新型工業化規劃應對標內地的「新型工業化」戰略。"


@pytest.mark.corpus
def test_002_summary_lists_stay_in_the_preamble_and_numbering_restarts() -> None:
    root = parsed("002_c6cbd0b05b50272d")
    initiatives, areas = [s for s in root.children if s.family == "label"]
    assert (initiatives.heading, areas.heading) == ("六大重點倡議", "七大建議範疇")
    assert [c.number for c in initiatives.children] == ["1", "2", "3", "4", "5", "6"]
    assert [c.number for c in areas.children] == ["1", "2", "3", "4", "5", "6", "7"]
    assert any(p.startswith("1.鞏固「超級聯繫人」角色") for p in root.paragraphs)  # the summary list
    first_area = areas.children[0]
    assert [c.number_path for c in first_area.children] == ["1.I", "1.II", "1.III", "1.IV"]
    iii = next(c for c in areas.children[1].children if c.number == "III")
    assert [c.number for c in iii.children] == ["A", "B"]


@pytest.mark.corpus
def test_004_summary_has_no_numbered_sections_and_the_appendix_restarts() -> None:
    root = parsed("004_5e09c2c7bcf19ee5")
    summary, body, appendix = root.children
    assert (summary.heading, body.heading, appendix.heading) == ("提要", "正文", "附錄")
    assert numbered(summary) == []
    assert any(p.startswith("1、大力發展混合融資") for c in summary.children for p in c.paragraphs)
    assert [c.number for c in body.children] == ["一", "二", "三"]
    six_strengths = appendix.children[0]
    assert [c.number for c in six_strengths.children] == ["一", "二", "三", "四", "五", "六"]
    assert [c.number for c in six_strengths.children[1].children] == ["1", "2"]


@pytest.mark.corpus
def test_004_wrapped_headings_are_joined() -> None:
    root = parsed("004_5e09c2c7bcf19ee5")
    two_three = next(s for s in root.walk() if s.number_path == "二.3")
    assert (
        two_three.heading == "以北部都會區為新興產業基地，加強宏觀規劃，加快創科集群建設，直接批地予新興產業龍頭企業。"
    )
    four = next(s for s in root.walk() if s.number_path == "四" and s.parent.heading != "正文")
    assert four.heading == "金融市場基礎鞏固，企業融資和資產管理配套功能成熟優勢"


@pytest.mark.corpus
def test_004_footnote_text_is_kept_after_its_paragraph_and_marker_removed() -> None:
    root = parsed("004_5e09c2c7bcf19ee5")
    text = "\n".join(p for s in root.walk() for p in s.paragraphs)
    assert "當局會於今年內設立 60 億元的資助計劃。" in text
    assert "其他 4 所研發中心（5 所研發中心）" in text
    assert "包括香港物流及供應鏈管理應用技術研發中心" in text


@pytest.mark.corpus
def test_003_without_numbers_takes_short_plain_lines_as_headings() -> None:
    root = parsed("003_2f8f0611eef4e064")
    assert [c.heading for c in root.children][:4] == [
        "新發展思維助力香港經濟破局",
        "香港具備條件發展新質生產力",
        "深掘潛力打造「港版新質生產力」",
        "整合優勢為國家發展作新貢獻",
    ]
    assert root.paragraphs, "the introduction before the first heading is kept as the preamble"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. 甲標題\n\n正文一。\n\n2. 乙標題\n\n正文二。\n", ["1", "2"]),
        (
            "一、總綱\n\n引言。\n\n（一）分項\n\n內容。\n\n（二）分項\n\n內容。\n\n二、次綱\n\n內容。\n",
            ["一", "一(一)", "一(二)", "二"],
        ),
        ("1、項目\n\n內容甲。\n\n(1) 細項\n\n內容乙。\n\n- (2) 細項二\n\n內容丙。\n", ["1", "1(1)", "1(2)"]),
        (
            "I. 第一部分\n\n內容。\n\nA. 甲\n\n內容。\n\nB. 乙\n\n內容。\n\nII. 第二部分\n\n內容。\n",
            ["I", "I.A", "I.B", "II"],
        ),
        ("策略一：先做研究。\n\n說明一。\n\n策略二：再做試點。\n\n說明二。\n", ["策略一", "策略二"]),
    ],
)
def test_numbering_families_nest_and_close(text: str, expected: list[str]) -> None:
    root = parse_document(text, front_matter_lines=0)
    assert [s.number_path for s in numbered(root)] == expected


def test_bullets_are_items_of_their_section_not_sections() -> None:
    text = "1. 標題\n\n• 第一點內容\n\n• 第二點內容\n\no 細點\n\n2. 標題二\n\n內容。\n"
    root = parse_document(text, front_matter_lines=0)
    first = numbered(root)[0]
    assert first.paragraphs == ["第一點內容", "第二點內容", "細點"]
