"""How a body, a section and a source are named: one format for answers, CLI, UI, exports and LLM prompts.

The citation of a source is the same everywhere it is shown or pasted:
`CMA 香港中華廠商聯合會 (Chinese Manufacturers' Association of Hong Kong), 《title》 (English title), 2024,
§7 創建「香港食品產業園」 (English heading)`, followed by `: 「quote」` where the quote goes along.
"""

from __future__ import annotations

import re

from rag.answer.quotes import shown
from rag.corpus.catalog import Catalog, CatalogError
from rag.text.tokenize import to_simplified
from rag.types import Language, Source

# A citation marker in answer text: [3] or a group such as [1, 3] / [1，3] / [1、3].
CITATION = re.compile(r"\[\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*\]")


def marker_numbers(match: re.Match[str]) -> list[int]:
    """The source numbers of one CITATION match."""
    return [int(x) for x in re.findall(r"\d+", match.group(1))]


def body_short(code: str, catalog: Catalog | None, language: str) -> str:
    """A body in a list or a rewritten question: its code in English, its Chinese short name otherwise."""
    body = catalog.bodies.get(code) if catalog else None
    if body is None:
        return code
    name = body.short_name(chinese=language != Language.EN)
    return to_simplified(name) if language == Language.ZH_HANS else name


def body_label(code: str, catalog: Catalog | None, language: str) -> str:
    """A body as an answer's prose names it: code and English name in English, the Chinese short name else."""
    body = catalog.bodies.get(code) if catalog else None
    if body is not None and language == Language.EN:
        return f"{code} ({body.name_en})"
    return body_short(code, catalog, language)


def body_full(code: str, catalog: Catalog | None) -> str:
    """A body in a citation: code, Chinese and English names (the bare code when the catalog lacks it)."""
    body = catalog.bodies.get(code) if catalog else None
    return f"{code} {body.name_zh} ({body.name_en})" if body else code


def section_label(source: Source, language: str = Language.ZH_HANT) -> str:
    """Section number and heading, e.g. §7 創建「香港食品產業園」; the English heading for English answers."""
    heading = source.heading_en if language == Language.EN and source.heading_en else source.heading
    number = f"§{source.section}" if source.section else ""
    return " ".join(part for part in (number, heading) if part)


def citation(source: Source, catalog: Catalog | None = None) -> str:
    """Body (both names), document title (with its English title), year, section and heading (with English)."""
    title = f"《{source.title}》"
    title_en = document_title_en(source.doc_id, catalog)
    if title_en:
        title += f" ({title_en})"
    parts = [body_full(source.body, catalog), title, str(source.year)]
    section = section_label(source)
    if section and source.heading_en:
        section += f" ({source.heading_en})"
    if section:
        parts.append(section)
    return ", ".join(parts)


def citation_line(source: Source, catalog: Catalog | None = None) -> str:
    """The citation with its verbatim quote: what "copy citation" and the export footnotes give."""
    quote = shown(source.quote.strip()).replace("\n", "\n    ")  # continuation lines stay with the citation
    return f"{citation(source, catalog)}: 「{quote}」"


def document_title_en(doc_id: str, catalog: Catalog | None) -> str:
    """The document's English title, or "" when the catalog does not have it."""
    if catalog is None:
        return ""
    try:
        return catalog.document(doc_id).title_en
    except CatalogError:
        return ""
