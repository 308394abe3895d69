"""What a question asks for: an ordinary question, "which bodies propose X", or a comparison.

Also which bodies and years it names, so retrieval can be aimed (per body, per year).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from rag.corpus.catalog import Catalog
from rag.corpus.lexicon import Lexicon
from rag.text.numbers import years_in
from rag.text.tokenize import fold


class Intent(StrEnum):
    ASK = "ask"
    WHICH_BODIES = "which_bodies"
    COMPARE = "compare"


@dataclass(frozen=True)
class QuestionIntent:
    kind: Intent
    bodies: list[str] = field(default_factory=list)  # body codes named in the question, in order of mention
    years: list[int] = field(default_factory=list)
    unknown_bodies: list[str] = field(default_factory=list)  # organisations named that the corpus does not have


def unknown_organisations(question: str, catalog: Catalog, lexicon: Lexicon) -> list[str]:
    """Organisations the question names that are not bodies in the catalog ("the Liberal Party", 自由黨, HKGCC).

    Only what looks like an organisation's name counts: words before an organisation suffix (Party, 商會, 協會 …),
    or a capitalised acronym where the asker stands. Words a match starts with that are no part of a name (請問,
    對於, The) are trimmed; a match that is then only its suffix, or asks "which", "each" or "other" bodies
    (各商會, Which Chamber of Commerce), names none.
    """
    known = [fold(name) for body in catalog.bodies.values() for name in body.names()]
    candidates = [(m.group(1), True) for m in lexicon.organisation.finditer(question)]
    candidates += [(m.group(1), False) for m in lexicon.asker.finditer(question)]
    found: list[str] = []
    for name, suffixed in candidates:
        name = name.strip()
        lead = lexicon.name_lead.search(fold(name))
        name = name[len(lead.group(0)):] if lead else name
        if suffixed and not lexicon.organisation.search(name):
            continue  # only the suffix is left: 請問商會
        key = fold(name)
        if lexicon.not_a_name.search(key) or any(k and (k in key or key in k) for k in known):
            continue
        if name not in found:
            found.append(name)
    return found


def name_matches(folded: str, name: str) -> Iterator[re.Match[str]]:
    """Where a folded text states a folded body name: a Latin one as whole words (CMA, not in "cmas")."""
    pattern = rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])" if name.isascii() else re.escape(name)
    return re.finditer(pattern, folded)


def named_bodies(question: str, catalog: Catalog) -> list[str]:
    """Body codes the question names (Chinese or English names, short names, codes), in order of mention."""
    folded = fold(question)
    found: list[tuple[int, str]] = []
    for body in catalog.bodies.values():
        positions = []
        for name in body.names():
            key = fold(name)
            match = next(name_matches(folded, key), None) if key else None
            if match:
                positions.append(match.start())
        if positions:
            found.append((min(positions), body.code))
    return [code for _, code in sorted(found)]


_ASKS_OF = re.compile(r"\s+(?:does|do|did|would|should|will|could)\s+(?:the\s+)?$")


def _inside_proposal(folded: str, which: re.Match[str], bodies: list[str], catalog: Catalog,
                     lexicon: Lexicon) -> bool:
    """The which-phrase asks about a named body's proposal, not for bodies: it follows the body's name and a
    proposal verb (羽湖協會建議由哪個機構推行…: which agency), or, in English, the body is its subject ("Which
    organisation does the Quillmere Association want to run it?")."""
    for code in bodies:
        for name in catalog.bodies[code].names():
            for match in name_matches(folded, fold(name)):
                if match.end() <= which.start() and lexicon.proposal_verb.search(folded[match.end():which.start()]):
                    return True
                if match.start() >= which.end() and _ASKS_OF.fullmatch(folded, which.end(), match.start()):
                    return True
    return False


def classify(question: str, catalog: Catalog, lexicon: Lexicon) -> QuestionIntent:
    """What the question asks for, the bodies and years it names, and organisations it names the corpus lacks.

    The cues are matched on the folded question (Simplified, lower case), so one pattern serves both scripts.
    """
    bodies, years, folded = named_bodies(question, catalog), years_in(question), fold(question)
    if len(bodies) == 1:  # of one body, only years it has papers for ("between 1980 and 2019" cites a study)
        submitted = {d.year for d in catalog.documents if d.body == bodies[0]}
        years = [year for year in years if year in submitted]
    if lexicon.compare.search(folded) and (len(bodies) >= 2 or (len(bodies) == 1 and len(set(years)) >= 2)):
        kind = Intent.COMPARE
    elif (which := lexicon.asks_which_bodies.search(folded)) and not _inside_proposal(folded, which, bodies, catalog,
                                                                                    lexicon) or (
            not bodies and lexicon.asks_who.search(folded) and lexicon.proposal_verb.search(folded)):
        kind = Intent.WHICH_BODIES
    else:
        kind = Intent.ASK
    return QuestionIntent(kind, bodies, years, unknown_organisations(question, catalog, lexicon))
