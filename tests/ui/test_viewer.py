"""The source viewer's rendering, a pure function: the whole document in section order with the outline beside
it, the cited passage shaded and its quote marked once, everything escaped; and its opening from a card."""

from __future__ import annotations

import re
from html import escape
from types import SimpleNamespace

import gradio as gr

from rag.corpus.catalog import Document
from rag.corpus.passages import document_chunks, document_outline, document_pieces
from rag.types import Answer, Source
from ui.render import source_card
from ui.service import DocumentText
from ui.viewer import Viewer, document_html, quote_marks

TEXT = """甲商會對2025年施政報告的建議

一、發展創新科技

（一）設立基金
本會建議政府設立創新科技基金，支援中小企業數碼轉型。另建議加強與大灣區城市的合作。

（二）培育<人才>
本會建議推出 <script>alert(1)</script> 人才計劃，吸引海外專業人士來港。

二、鞏固金融中心

本會建議擴大人民幣業務，發展綠色金融，並推動家族辦公室在港落戶，鞏固香港的國際金融中心地位。
"""
DOCUMENT = Document(doc_id="000_aaaaaaaaaaaaaaaa", file="000_aaaaaaaaaaaaaaaa.txt", body="AAA",
                    title_zh="甲商會建議書", title_en="Alpha proposals", year=2025, date="2025", kind="submission",
                    front_matter_lines=1)
QUOTE = "另建議加強與大灣區城市的合作。"


def document_text(min_chars: int = 10) -> DocumentText:
    chunks = document_chunks(TEXT, DOCUMENT, [], 400, min_chars)
    pieces = document_pieces(chunks)
    return DocumentText(DOCUMENT, pieces, document_outline(pieces))


def cited_chunk(text: DocumentText, quote: str) -> str:
    return next(piece.chunk_id for piece in text.pieces if quote in piece.text)


def test_the_whole_document_is_shown_in_section_order_with_its_outline() -> None:
    text = document_text()
    html = document_html(text, None, cited_chunk(text, QUOTE), QUOTE, "zh-Hant")
    outline = re.findall(r'<a class="vw-jump[^"]*" href="#(vw-h-\d+)"[^>]*>([^<]*)</a>', html)
    assert [title for _, title in outline] == ["一、 發展創新科技", "（一） 設立基金", "（二） 培育&lt;人才&gt;",
                                               "二、 鞏固金融中心"]
    assert all(f'id="{anchor}"' in html for anchor, _ in outline)  # every outline entry jumps to its heading
    body = html.split('class="vw-text"')[1]
    assert body.index("設立基金") < body.index("培育") < body.index("鞏固金融中心")
    assert "目錄" in html and "甲商會建議書" in html and "Alpha proposals" in html


def test_the_quote_is_marked_once_inside_the_shaded_cited_passage() -> None:
    text = document_text()
    html = document_html(text, None, cited_chunk(text, QUOTE), QUOTE, "en")
    assert html.count("<mark") == 1 and f'<mark id="vw-quote">{QUOTE}</mark>' in html
    cited = re.search(r'<div class="vw-piece vw-cited"[^>]*>(.*?)</div>', html).group(1)
    assert QUOTE in cited and "本會建議政府設立創新科技基金" in cited
    assert re.search(r'class="vw-jump has-quote"[^>]*>（一） 設立基金<', html)  # its section stands out


def test_document_text_is_escaped() -> None:
    text = document_text()
    html = document_html(text, None, "", "", "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_quote_no_longer_in_its_chunk_is_found_elsewhere_or_said_to_be_gone() -> None:
    text = document_text()
    assert quote_marks(text.pieces, "000_aaaaaaaaaaaaaaaa#099", QUOTE)  # the chunks were renumbered
    html = document_html(text, None, "000_aaaaaaaaaaaaaaaa#099", "這句話已不在文件中。", "en")
    assert "<mark" not in html and "The document changed after this answer" in html


def answer_citing(quote: str, chunk_id: str) -> Answer:
    source = Source(n=1, doc_id=DOCUMENT.doc_id, body="AAA", year=2025, title=DOCUMENT.title_zh, section="一(一)",
                    heading="設立基金", path=["一、 發展創新科技", "（一） 設立基金"], text="", quote=quote, score=1.0,
                    chunk_id=chunk_id)
    return Answer(question="q", language="zh-Hant", mode="lexical", answer="[1]", bodies=[], sources=[source])


class FakeService:
    """What the viewer needs of the service: readiness, a document's text, and the catalog."""

    catalog = None

    def status(self):
        return SimpleNamespace(ready=True)

    def document_text(self, doc_id: str) -> DocumentText | None:
        return document_text() if doc_id == DOCUMENT.doc_id else None


def test_a_card_opens_the_viewer_at_its_source() -> None:
    text = document_text()
    turns = [answer_citing(QUOTE, cited_chunk(text, QUOTE))]
    panel, content = Viewer(FakeService()).open_from_card(turns, "en", SimpleNamespace(_data={"turn": 0, "n": 1}))
    assert panel.visible is True and 'id="vw-quote"' in content["value"]
    assert Viewer(FakeService()).open_from_card(turns, "en", SimpleNamespace(_data={"turn": 3, "n": 1})) == \
        (gr.skip(), gr.skip())
    gone = [answer_citing(QUOTE, "")]
    gone[0].sources[0].doc_id = "999_removed"
    assert "no longer in the library" in Viewer(FakeService()).open_from_card(
        gone, "en", SimpleNamespace(_data={"turn": 0, "n": 1}))[1]["value"]
    closed_panel, closed_content = Viewer.close()
    assert closed_panel.visible is False and closed_content["value"] == ""


def test_each_source_card_has_a_view_in_document_button() -> None:
    source = answer_citing(QUOTE, "x").sources[0]
    card = source_card(source, 4, None, "zh-Hant")
    assert '<button class="view-doc" type="button" data-turn="4" data-n="1">在文件中查看</button>' in card
    assert ">View in document</button>" in source_card(source, 4, None, "en")


def test_a_quote_across_a_joined_sections_title_is_marked_line_by_line() -> None:
    text = document_text(min_chars=60)  # small sections joined into one chunk
    joined = next(chunk_id for chunk_id in {p.chunk_id for p in text.pieces}
                  if sum(p.chunk_id == chunk_id for p in text.pieces) > 1)
    first, second = [p for p in text.pieces if p.chunk_id == joined][:2]
    quote = f"{first.text[-12:]}\n{second.path[-1]}\n{second.text[:10]}"
    html = document_html(text, None, joined, quote, "en")
    assert html.count("<mark") == 2 and html.count('id="vw-quote"') == 1
    assert f"<mark>{escape(second.text[:10])}</mark>" in html and "changed after this answer" not in html
