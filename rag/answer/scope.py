"""The user's filters, said in words: what an answer's first line and a briefing's export name.

An answer under filters speaks of the documents in play ("In FHKI's 2023 submission, …", 「在工總2023年的文件中，…」),
never of the whole corpus; a filter no document matches is said plainly ("year 1900").
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answer.citations import body_label, body_short, document_title_en
from rag.corpus.catalog import Catalog, Document
from rag.text.tokenize import to_simplified
from rag.types import Filters, Language


@dataclass(frozen=True)
class Scope:
    """The documents a question's filters leave in play."""

    filters: Filters
    documents: tuple[Document, ...]

    @classmethod
    def of(cls, filters: Filters, catalog: Catalog) -> Scope | None:
        """The scope of `filters`, or None when nothing is filtered (the whole corpus is in play)."""
        if not filters:
            return None
        return cls(filters, tuple(doc for doc in catalog.documents if filters.admits(doc)))  # type: ignore[arg-type]

    def within(self, language: str, catalog: Catalog) -> str:
        """How an answer's first line opens: "In FHKI's 2023 submission" / 「在工總2023年的文件中」."""
        if language == Language.EN:
            return f"{'In' if len(self.documents) == 1 else 'Among'} {self.phrase(language, catalog)}"
        return f"在{self.phrase(language, catalog)}中"

    def phrase(self, language: str, catalog: Catalog) -> str:
        """The documents in play: "FHKI's 2023 submission", "the 2024 submissions of CMA and BPA", 「工總2023年的文件」;
        named by title when the filter names documents."""
        english = language == Language.EN
        if self.filters.doc_ids is not None:
            titles = [_title(doc, catalog, english) for doc in self.documents]
            return _joined(titles, language)
        bodies = list(dict.fromkeys(doc.body for doc in self.documents))
        named = bodies if self.filters.bodies is not None or len(bodies) == 1 else []
        years = sorted({doc.year for doc in self.documents}) if self.filters.years is not None else []
        year_text = _joined([str(y) for y in years], language)
        if not english:
            names = "、".join(body_short(code, catalog, language) for code in named)
            return f"{names}{year_text + '年' if years else ''}的文件"
        noun = "submission" if len(self.documents) == 1 else "submissions"
        when = f"{year_text} " if years else ""
        if len(named) == 1:
            return f"{named[0]}'s {when}{noun}"
        of = f" of {_joined(named, language)}" if named else ""
        return f"the {when}{noun}{of}"


def describe(filters: Filters, catalog: Catalog | None, language: str) -> str:
    """The filters as set, for a reader: "body FHKI; year 2023" / 「團體：工總；年份：2023」 ("" when none)."""
    english = language == Language.EN
    parts = []
    if filters.bodies is not None:
        names = [body_label(code, catalog, language) if english else body_short(code, catalog, language)
                 for code in sorted(filters.bodies)]
        parts.append(("body " if len(names) == 1 else "bodies ") + ", ".join(names) if english
                     else "團體：" + "、".join(names))
    if filters.years is not None:
        years = [str(y) for y in sorted(filters.years)]
        parts.append(("year " if len(years) == 1 else "years ") + ", ".join(years) if english
                     else "年份：" + "、".join(years))
    if filters.doc_ids is not None:
        docs = sorted(filters.doc_ids)
        parts.append(("document " if len(docs) == 1 else "documents ") + ", ".join(docs) if english
                     else "文件：" + "、".join(docs))
    text = "; ".join(parts) if english else "；".join(parts)
    return to_simplified(text) if language == Language.ZH_HANS else text


def _title(doc: Document, catalog: Catalog, english: bool) -> str:
    title = document_title_en(doc.doc_id, catalog) if english else ""
    return f"“{title}”" if title else f"《{doc.title_zh}》"


def _joined(items: list[str], language: str) -> str:
    if language != Language.EN:
        return "及".join(items) if len(items) == 2 else "、".join(items)
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)

