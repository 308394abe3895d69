"""What a question asks for: an ordinary question, "which bodies propose X", or a comparison.

Also which bodies and years it names, so retrieval can be aimed (per body, per year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from rag.corpus.catalog import Catalog
from rag.text.numbers import years_in
from rag.text.tokenize import fold


class Intent(StrEnum):
    ASK = "ask"
    WHICH_BODIES = "which_bodies"
    COMPARE = "compare"


_WHICH_EN = re.compile(
    r"\b(which|what)\s+(business\s+)?(bodies|body|organi[sz]ations?|groups?|associations?|chambers?|parties|"
    r"submissions|papers|documents)\b|\bwho\s+(proposes?|suggests?|recommends?|calls?|wants?|supports?|urges?)\b",
    re.IGNORECASE,
)
# Matched on the Simplified fold of the question, so Traditional and Simplified both hit.
_WHO = "(哪些|哪个|哪几个|哪一个|边个|边啲|边几个|谁|有冇)"
_ORG = "(团体|机构|组织|商会|政团|政党|文件|报告)"
_WHICH_ZH = re.compile(f"{_WHO}{_ORG}?|(团体|机构|组织|商会)有哪些")
_WHICH_ZH_STRONG = re.compile(
    "(哪些|哪个|哪几个|边个|边啲|谁)(团体|机构|组织|商会|政团|政党)|边个|边啲|谁(建议|提出|主张|倡议|提议)"
)
_COMPARE_EN = re.compile(
    r"\b(differ|differs|difference|differences|compare|compared|comparison|versus|vs\.?|contrast|"
    r"change|changed|changes|evolve|evolved|shift|shifted)\b",
    re.I,
)
_COMPARE_ZH = re.compile(
    "(有何|有什么|有甚么|有咩)(不同|分别|差异|区别|转变|变化)|异同|比较|对比|差异|区别|分别|不同之处|唔同|转变|变化|相比"
)


@dataclass(frozen=True)
class QuestionIntent:
    kind: Intent
    bodies: list[str] = field(default_factory=list)  # body codes named in the question, in order of mention
    years: list[int] = field(default_factory=list)
    unknown_bodies: list[str] = field(default_factory=list)  # organisations named that the corpus does not have


# A named organisation: capitalised words before Party/Chamber…, or Chinese name characters before 黨/商會….
_ORG_EN = re.compile(
    r"\b((?:[A-Z][\w'&.-]*\s+){1,6}(?:Party|Chamber of Commerce|Chamber|Association|Federation|Council|Alliance))\b"
)
_ORG_ZH = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:黨|党|總商會|总商会|商會|商会|協會|协会|聯會|联会|聯盟|联盟))")
_NOT_A_NAME = re.compile(r"^(哪|边|邊|有冇|有没有|各|其他|其它|主要|本地|香港的|任何|所有|什麼|甚麼|什么|甚么|本)")


def unknown_organisations(question: str, catalog: Catalog) -> list[str]:
    """Organisations the question names that are not bodies in the catalog ("the Liberal Party")."""
    known = [fold(name) for body in catalog.bodies.values() for name in body.names()]
    found = []
    for match in [*_ORG_EN.finditer(question), *_ORG_ZH.finditer(question)]:
        name = match.group(1).strip()
        key = fold(name)
        if _NOT_A_NAME.search(name) or any(k and (k in key or key in k) for k in known):
            continue
        found.append(name)
    return found


def named_bodies(question: str, catalog: Catalog) -> list[str]:
    """Body codes the question names (Chinese or English names, short names, codes), in order of mention."""
    folded = fold(question)
    found: list[tuple[int, str]] = []
    for body in catalog.bodies.values():
        positions = []
        for name in body.names():
            key = fold(name)
            if not key:
                continue
            if key.isascii():
                match = re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded)
                position = match.start() if match else -1
            else:
                position = folded.find(key)
            if position >= 0:
                positions.append(position)
        if positions:
            found.append((min(positions), body.code))
    return [code for _, code in sorted(found)]


def classify(question: str, catalog: Catalog) -> QuestionIntent:
    intent = _classify(question, catalog)
    return QuestionIntent(intent.kind, intent.bodies, intent.years, unknown_organisations(question, catalog))


def _classify(question: str, catalog: Catalog) -> QuestionIntent:
    bodies = named_bodies(question, catalog)
    years = years_in(question)
    folded = fold(question)
    comparing = bool(_COMPARE_EN.search(question) or _COMPARE_ZH.search(folded))
    # one body across years: years it has submissions for ("between 1980 and 2019" cites a study, not papers)
    submitted = {d.year for d in catalog.documents if bodies and d.body == bodies[0]}
    if comparing and (len(bodies) >= 2 or (len(bodies) == 1 and len(set(years) & submitted) >= 2)):
        return QuestionIntent(Intent.COMPARE, bodies, years if len(bodies) >= 2 else sorted(set(years) & submitted))
    which = _WHICH_EN.search(question) or _WHICH_ZH_STRONG.search(folded)
    if which or (not bodies and _WHICH_ZH.search(folded) and re.search("建议|提出|主张|倡议|提议|支持", folded)):
        return QuestionIntent(Intent.WHICH_BODIES, bodies, years)
    return QuestionIntent(Intent.ASK, bodies, years)
