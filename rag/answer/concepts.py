"""The concepts a question asks about, and how much of them one passage states together.

Token coverage (rag.answer.relevance) counts every jieba piece of a question in a whole 700-character chunk, so a
compound and its parts (粵港澳大灣區, 大灣區, 灣區 …) weigh several times and words scattered over a chunk
add up. For "which bodies propose X" that is not enough: a body should be kept when one of its passages
says X, not when it uses X's words in different places. So here
- a concept is one whole word of the question (jieba's precise mode) or one glossary phrase of an English
  question; the glossary's other wordings of it count as the same concept (食品產業園 / 食品工業園), in either
  language (低空經濟 / low-altitude economy), so a passage may state it in English or Chinese. English wordings
  and words are matched as stems (proposals / proposed), consecutive in the passage's English words;
- the bodies' names are never concepts: they say who is asked, not what about;
- framing (who-asks words, proposal verbs, "actively", "develop"; corpus/lexicon) and question words are no concepts;
  verbs and adjectives weigh half a noun;
- a passage covers the IDF-weighted share of the concepts found within a few consecutive sentences (and its
  section headings), the best such window counting. A compound some passage has counts up to half where
  only its parts are; one no passage has (聯繫匯率) counts nothing for its parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rag.answer.relevance import idf
from rag.config import JudgeSettings
from rag.corpus.dictionary import KIND as DICTIONARY_KIND
from rag.corpus.dictionary import senses as dictionary_glosses
from rag.corpus.glossary import Entry, Found, Glossary, normalise
from rag.corpus.lexicon import Cue, Lexicon
from rag.corpus.passages import document_pieces
from rag.text.names import Names
from rag.text.numbers import numbers_stated, quantities, unit_kind_at, without_years
from rag.text.script import mostly_english
from rag.text.sentences import split_sentences
from rag.text.tokenize import Tokenizer, fold, lemmas
from rag.types import Chunk

_CJK = re.compile(r"[\u3400-\u9fff]")
_KEPT_STATISTICS = 50_000  # entries of each of the corpus statistics kept below; forgotten all at once beyond
_CHINESE_PASSAGE_CHARS = 20  # a passage with fewer Chinese characters (a name or two in English text) is not Chinese


@dataclass
class Concept:
    label: str  # as found in the question (folded)
    # wordings; any of them in a window means the concept is there: Chinese ones folded, English ones as stems
    # ("low altitud economi", all ASCII), matched as consecutive English words
    forms: tuple[str, ...]
    parts: tuple[str, ...] = ()  # folded pieces of a compound's Chinese wordings, for partial credit
    weight: float = 0.0  # IDF of the concept in the corpus × its part-of-speech weight
    # An English word found nowhere (neither the glossary nor any passage has it: "sugar" of "a sugar tax"). No
    # passage, in either language, can be shown to state it, so it counts as missing from every passage.
    unread: bool = False
    # A Chinese noun naming what the question is about (薪俸 of 薪俸稅), not the thing it asks for (主線 of 哪兩條主線)
    topic_noun: bool = False
    # the two characters across each edge of the word in the question (名茶 of 每名茶藝: 每名, 茶藝): where one is a
    # corpus word, jieba may have cut the question wrongly
    edges: tuple[str, ...] = ()
    any_of: tuple[Concept, ...] = ()  # examples the question gives: a window states this if it states any of them


@dataclass(frozen=True)
class Asked:
    """What the answer to a how-many question must state (`ConceptCoverage.asked`): a quantity of one of `kinds`
    (any kind when empty) whose number is none of `besides` (the question's own, rag.text.numbers.numbers_stated),
    beside a payment of one of `payments` when the question names one (a licence fee, not any sum), at one of the
    rates it counts by (`rates`: a year, a month, each one: "how many packs a year" is not answered by a total over
    ten years; or a total: 總撥款 is not answered by a cap per building; one of them, as a question asking several
    things may count each by its own)."""

    kinds: frozenset[str] = frozenset()
    payments: frozenset[str] = frozenset()
    rates: frozenset[str] = frozenset()
    besides: frozenset[str] = frozenset()


# An English word read as a verb by its shape: after "to" or a modal, or a participle (-ing, -ed). It weighs as a
# verb does (pos_weights "v"): the action asked about frames the topic more often than it names it.
_VERB_BEFORE = re.compile(r"\b(?:to|will|would|should|can|could|must|may|might)\s+$")


def _kept(cache: dict, key: object, make: Callable[[], Any]) -> Any:
    """`cache[key]`, made the first time it is asked for. Corpus statistics never change for a build, but a
    server's questions keep bringing new words, so a cache that reaches `_KEPT_STATISTICS` entries starts again."""
    value = cache.get(key)
    if value is None:
        if len(cache) >= _KEPT_STATISTICS:
            cache.clear()
        value = cache[key] = make()
    return value


_SENTENCE_END = re.compile(r"[?？!！。;；]")
_PARTICIPLE_CLAUSE = re.compile(r",\s+[a-z]+ing\b")
# A thing asked about is a specific word, rarer in general Chinese than a notion (jieba's dictionary counts): 薪俸
# 52, 年資 30, 產假 21 against 設想 1,519 (tagged a noun in 「廠商會設想的…」, where it is the verb of a clause).
_SPECIFIC_MAX_FREQUENCY = 1000
# What a question asks for comes right after its question word, with a number and a measure word or not (哪兩條主線,
# 哪個級別, 什麼類產品, 多少年): that noun is the answer's slot, not the topic (folded text: simplified).
# Parts of speech (jieba's) of the parts of a compound noun: nouns, place names, verbal nouns (旅遊, 競).
_NOUN_TAGS = frozenset({"n", "nr", "ns", "nt", "nz", "ng", "vn", "j"})
# A term a question quotes, in any of the quotation marks Chinese and English text use: a name, with no clause
# marks inside (「只付利息、暫不還本金」 describes an arrangement in the asker's words; it names none).
_QUOTED = re.compile(r"[「『“\"‘]([^「」『』“”\"‘’，、,；;。]{2,16})[」』”\"’]")
# (a "how many" cue is blanked with this space before the question is read: 多少 / 幾多 then stand for it)
_ASKED_QUANTITY = "\u2003"
_ASKED_FOR = re.compile(r"(?:哪|什么|甚么|咩|乜|多少|几多|几|\u2003+)"
                        r"[一二两三四五六七八九十\d]*[个些类种条项家间位名点方]?$")


# Another name for what the question just named, in brackets: 「小批量試產（即「中試」）」, "pilot production (i.e.
# 中試)", "(also known as …)". Either wording will do.
_ALIAS = re.compile(r"[（(]\s*(?:即|亦即|又称|又稱|简称|簡稱|也就是|i\.?e\.?,?|that is,?|also known as|aka)\s*"
                    r"([^（()）]+?)\s*[）)]", re.IGNORECASE)


def _split_aliases(question: str) -> tuple[str, list[tuple[int, str]]]:
    """The question with each alias in brackets blanked (offsets kept), and (where it stood, the alias)."""
    found = [(m.start(), m.group(1)) for m in _ALIAS.finditer(question)]
    return _ALIAS.sub(lambda m: " " * len(m.group(0)), question), found


def _any_of(examples: list[Concept]) -> Concept:
    """The examples a question gives, as one concept that any of them states: each one illustrates the topic, so
    a passage needs no more than one (its credit in a window is the best example's) and states the topic without
    any of them for most of the weight. It weighs as much as an example does on average."""
    forms = tuple(dict.fromkeys(form for c in examples for form in c.forms))
    parts = tuple(dict.fromkeys(part for c in examples for part in c.parts if part not in forms))
    weight = sum(c.weight for c in examples) / len(examples)
    return Concept(" | ".join(c.label for c in examples), forms, parts, weight, all(c.unread for c in examples),
                   any_of=tuple(examples))


# The rate group of `asks_rate` (corpus/lexicon) that asks for a total (總撥款, "in total"): see `answers`.
TOTAL = "total"
# What ends a clause: a quantity's rate (每幢, "per building", "a year") is named in its own clause.
_CLAUSE_END = re.compile(r"[，。；;！？!?：:\n]|,(?!\d)|\.(?!\d)")


# An amount per one of something, in English: the indefinite article right after it ("HK$10 million a building").
_A_UNIT = re.compile(r"\s+an?\s+[a-z]", re.IGNORECASE)
# English words written one after another in a Chinese question: a term it names in English
_ENGLISH_TERM = re.compile(r"[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*)+")


def _chinese_question(question: str) -> bool:
    """Whether the question is put in Chinese (English words in it are terms it names in English on purpose)."""
    return _CJK.search(question) is not None and not mostly_english(question)


def _clause(text: str, at: int) -> str:
    """The clause of `text` around position `at`."""
    start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
    end = _CLAUSE_END.search(text, at)
    return text[start:end.start() if end else len(text)]


def _groups(cue: Cue, text: str) -> frozenset[str]:
    """The names of the groups the cue's matches in `text` filled (the kinds of payment named)."""
    return frozenset(name for m in cue.finditer(text) for name, value in m.groupdict().items() if value)


def _verb_shaped(question: str, found: Found) -> bool:
    word = found.phrase.lower()
    before = normalise(question)[:found.start]
    return word.endswith(("ing", "ed")) and len(word) > 4 or _VERB_BEFORE.search(before) is not None


def _says_how_much(word: str) -> bool:
    """An adverb ("freely") or a comparative or superlative ("cheaper", "better", "fastest"): it says how, or how
    much more, of a thing the question names in other words; it names no thing itself. By lemminflect's English
    lexicon (a word it does not know may well be a name, so it stays a possible key word)."""
    readings = lemmas(word.lower())
    if not readings:
        return False
    if set(readings) == {"ADV"}:
        return True
    return any(lemma != word.lower() for tag in ("ADJ", "ADV") for lemma in readings.get(tag, ()))


def _sections(chunk: Chunk) -> list[tuple[tuple[str, ...], str]]:
    """A chunk's sections (headings, text): a chunk that joined small sections is read section by section, so
    that no window joins one section's words to the next one's figures (a grant of 五千元 above the heading of a
    cold-chain centre whose cost is not given)."""
    return [(piece.path, piece.text) for piece in document_pieces([chunk])]


class ConceptCoverage:
    def __init__(self, chunks: list[Chunk], tokenizer: Tokenizer, glossary: Glossary, lexicon: Lexicon,
                 body_names: Names | Iterable[str], judge: JudgeSettings | None = None) -> None:
        judge = judge or JudgeSettings()
        window = judge.window_sentences
        self.tokenizer = tokenizer
        self.glossary = glossary
        self.lexicon = lexicon
        self.judge = judge
        # Framing and question words are no concepts (the words as listed, and as the tokenizer reads them).
        self.framing = (frozenset(tokenizer.tokenize(" ".join([*lexicon.framing, *lexicon.question_words])))
                        | set(lexicon.question_words))
        self.body_names = body_names if isinstance(body_names, Names) else Names(body_names)
        # per chunk, and per window of consecutive sentences (with the headings): (folded text, English stems)
        self.texts: list[tuple[str, str]] = []
        self._joined: str | None = None  # `_unspaced`, made on first use
        self.windows: list[list[tuple[str, str]]] = []
        self._chunks = chunks
        self._own: dict[tuple[int, Any], list[tuple[str, str]]] = {}  # `own_of`'s windows, made on first use
        self._joined_within: dict[frozenset[int], str] = {}  # `_unspaced` of some passages, made on first use
        for chunk in chunks:
            headings = fold("\n".join(chunk.path))
            text = self.body_names.blank_in_passage(chunk.text)  # a body named is who speaks, not what about
            self.texts.append((headings + "\n" + text, tokenizer.english(headings + "\n" + text)))
            self.windows.append([w for path, text in _sections(chunk) for w in self._windows(path, text, window)])
        # An English-only concept (a word no glossary entry gives a Chinese wording) can be looked for in English
        # text only: a Chinese passage neither states nor lacks it.
        self.reads_english, self.reads_chinese = [], []
        for chunk in chunks:
            cjk = len(_CJK.findall(chunk.text))
            english = mostly_english(chunk.text) or (cjk == 0 and re.search("[A-Za-z]", chunk.text) is not None)
            self.reads_english.append(english)
            self.reads_chinese.append(cjk >= _CHINESE_PASSAGE_CHARS or (cjk > 0 and not english))
        self.n = len(chunks)
        self._df: dict[tuple[str, ...], int] = {}
        self._credits: dict[tuple[tuple[str, ...], tuple[str, ...], int], tuple[float, ...]] = {}
        self._partials: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[tuple[float, str], ...], float]] = {}
        self._variants: dict[str, set[str]] = {}
        for entry in glossary.entries:
            if entry.kind == DICTIONARY_KIND:  # the general dictionary's English for a corpus word: its English side
                english = set(self._english_forms(entry))
                for form in {self._form(term) for term in entry.chinese} - {""}:
                    self._variants.setdefault(form, {form}).update(english)
                continue
            if entry.kind == "body" or entry.dictionary:
                continue
            chinese = {self._form(term) for term in entry.chinese} - {""}  # looser dictionary words make no synonyms
            for form in chinese:
                self._variants.setdefault(form, set()).update(chinese | set(self._english_forms(entry)))

    def _windows(self, path: tuple[str, ...], text: str, window: int,
                 keep: Callable[[str], bool] | None = None) -> list[tuple[str, str]]:
        """One section's windows of `window` consecutive sentences (those `keep` keeps, when given), each with the
        section's headings."""
        headings = fold("\n".join(path))
        sentences = [self.body_names.blank_in_passage(s.text) for s in split_sentences(text)
                     if keep is None or keep(s.text)] or [""]
        stems = [self.tokenizer.english(s) for s in sentences]
        head_stems = self.tokenizer.english(headings)
        return [("\n".join((headings, *sentences[i:i + window])), head_stems + "".join(stems[i:i + window]))
                for i in range(max(1, len(sentences) - window + 1))]

    # -- the question's concepts ----------------------------------------------------------------------
    def _topic_text(self, question: str) -> str:
        """The question with what names no topic blanked: the bodies' names, and the quantity asked for ("how
        large", "what share", 多少: the answer must state one anyway), marked so that `_ASKED_FOR` still reads it."""
        question = self.body_names.blank(question)
        return self.lexicon.asks_quantity.sub(lambda m: _ASKED_QUANTITY * len(m.group(0)), question)

    def _unspaced(self, within: frozenset[int] | None = None) -> str:
        """Every passage's folded text (or those at the positions `within`), without whitespace: what a quoted name
        or a compound is looked for in."""
        if within is not None:
            return _kept(self._joined_within, within, lambda: re.sub(
                r"\s+", "", "\n".join(self.texts[i][0] for i in sorted(within))))
        if self._joined is None:
            self._joined = re.sub(r"\s+", "", "\n".join(text for text, _ in self.texts))
        return self._joined

    def concepts(self, question: str, drop_unknown: bool = True) -> list[Concept]:
        """The question's concepts, weighted. Unknown ones (no passage has them) weigh 0 when `drop_unknown`,
        else the most: a topic the corpus lacks should push towards "nothing answers this"."""
        question, aliases = _split_aliases(self._topic_text(question))
        topic, examples = self._split_examples(question)
        chinese = _chinese_question(question)
        out, seen = self._weighed(self._found(topic), drop_unknown, set(), chinese)
        folded = fold(topic)
        for at, alias in aliases:
            named, seen = self._weighed(self._found(alias), drop_unknown, seen, chinese)
            if not named:
                continue
            # the alias names again the thing the question named right before it (小批量試產（即「中試」）)
            before = [(folded.rfind(c.label, 0, at), c) for c in out if not c.any_of]
            before = [(where, c) for where, c in before if where >= 0]
            if before:
                target = max(before, key=lambda item: item[0])[1]
                out[out.index(target)] = _any_of([target, *named])
            else:
                out.append(_any_of(named))
        given, _ = self._weighed(self._found(examples), drop_unknown, seen, chinese)
        if given:
            out.append(_any_of(given))
        return out

    def _found(self, text: str) -> list[tuple[Concept, float]]:
        return [*self._english_concepts(text), *self._chinese_concepts(text)] if text.strip() else []

    def _split_examples(self, question: str) -> tuple[str, str]:
        """The question and the examples it gives ("…, for example through drone routes, vertiports or drone
        training?", "例如…"): from the cue to the end of that sentence."""
        folded = fold(question)
        cue = next(self.lexicon.examples.finditer(folded if len(folded) == len(question) else question), None)
        if cue is None:
            return question, ""
        end = _SENTENCE_END.search(question, cue.end())
        stop = end.start() if end else len(question)
        return question[: cue.start()] + " " + question[stop:], question[cue.end() : stop]

    def _weighed(self, found: list[tuple[Concept, float]], drop_unknown: bool,
                 seen: set[tuple[str, ...]], chinese: bool = False) -> tuple[list[Concept], set[tuple[str, ...]]]:
        unknown = idf(self.n, 0)
        out = []
        for concept, pos_weight in found:
            if concept.forms in seen:  # proposal and proposals, say: one concept
                continue
            seen.add(concept.forms)
            if self._english_word(concept) and _says_how_much(concept.label):
                continue  # an adverb or a comparative ("freely", "no longer", "cheaper") names no thing
            if self.df(concept.forms):
                weight = self.idf(concept.forms)
            elif self._english_word(concept):
                # Most English words of an English question occur in no Chinese passage, and the glossary carries
                # the topical ones across; one it lacks may still be the question's key word (sugar, casino). It
                # weighs a calibrated share of an unknown word, missing everywhere (JudgeSettings.unread_weight).
                # An English word a Chinese question writes is a name or a term put in English on purpose
                # (「發展 quidditch 聯賽」): unknown, it weighs as an unknown Chinese word does.
                share = 1.0 if chinese and not drop_unknown else self.judge.unread_weight
                weight, concept.unread = unknown * share, True
            else:
                weight = 0.0 if drop_unknown else unknown
            concept.weight = weight * pos_weight
            if concept.weight > 0:
                out.append(concept)
        return out, seen

    def _english_concepts(self, question: str) -> list[tuple[Concept, float]]:
        if not re.search("[A-Za-z]", question):
            return []
        out: list[tuple[Concept, float]] = []
        for f in self.glossary.scan(question):
            if f.entry is not None:
                if not self._topical(f.entry) or (f.entry.kind == DICTIONARY_KIND and not self._content_word(f.phrase)):
                    continue  # (the general dictionary has framing words too: groups → 團體)
                chinese = tuple(form for form in dict.fromkeys(self._form(t) for t in f.entry.chinese) if form)
                forms = tuple(dict.fromkeys((*chinese, *self._english_forms(f.entry))))
                concept = Concept(f.phrase, forms, self._parts(chinese))
                weight = self._pos_weight("v") if f.entry.kind == "verb" else 1.0
                if f.entry.dictionary:
                    weight *= self.judge.dictionary_weight
            elif self._content_word(f.phrase):
                concept = Concept(f.phrase, (self.tokenizer.stem(f.phrase),))
                weight = self._pos_weight("v") if _verb_shaped(question, f) else 1.0
            else:
                continue
            out.append((concept, weight))
        return out

    def _english_word(self, concept: Concept) -> bool:
        """A concept that is one English word outside the glossary (its only form its stem)."""
        return len(concept.forms) == 1 and concept.forms[0].isascii() and " " not in concept.forms[0]

    def _parts(self, forms: tuple[str, ...]) -> tuple[str, ...]:
        """The pieces of a glossary phrase's Chinese wordings (數據, 跨境, 流動 of 數據跨境流動), for partial credit
        where a passage words the thing differently, as a Chinese compound's pieces are."""
        pieces = (t.text for form in forms for t in self.tokenizer.tokens(form))
        return tuple(dict.fromkeys(p for p in pieces if len(p) > 1 and p not in forms and p not in self.framing))

    def _pos_weight(self, tag: str) -> float:
        """A word's weight by its part-of-speech tag (two letters, else the first); unlisted tags weigh 1."""
        weights = self.lexicon.pos_weights
        return weights.get(tag[:2], weights.get(tag[:1], 1.0))

    def asks_quantity(self, question: str) -> bool:
        """Whether the question asks how many, how much or when (so its answer must state a quantity or a time)."""
        folded = fold(question)
        return any(cue.search(folded) is not None for cue in (self.lexicon.asks_quantity, self.lexicon.asks_time))

    def asked_kinds(self, question: str) -> frozenset[str]:
        """The kinds of quantity the question asks for ("how much money": money), empty when it names none."""
        folded = fold(question)
        cues = {"money": self.lexicon.asks_money, "share": self.lexicon.asks_share,
                "duration": self.lexicon.asks_duration, "people": self.lexicon.asks_people,
                "weight": self.lexicon.asks_weight, "age": self.lexicon.asks_age,
                "time": self.lexicon.asks_time}
        kinds = {kind for kind, cue in cues.items() if cue.search(folded) is not None}
        # … or the unit right after "how many" (how many tonnes, 多少公頃)
        kinds.update(unit_kind_at(folded, m.end()) for m in self.lexicon.asks_quantity.finditer(folded))
        if "money" in kinds and self.asked_payments(question):
            kinds.add("share")  # a rent, fee or wage is often set as a share of another (70 per cent of market rent)
        return frozenset(kinds - {None})

    def asked_payments(self, question: str) -> frozenset[str]:
        """The payments a how-much question names, by kind (a licence fee: fee; 工資: wage; see asks_payment in
        corpus/lexicon): the sum asked for is one of them, not any sum near the question's other words."""
        return _groups(self.lexicon.asks_payment, fold(question))

    def asked(self, question: str) -> Asked:
        """What the answer to a how-many question must state (`Asked`)."""
        folded, kinds = fold(question), self.asked_kinds(question)
        return Asked(kinds, self.asked_payments(question), _groups(self.lexicon.asks_rate, folded),
                     numbers_stated(folded, kinds))

    def answers(self, text: str, asked: Asked) -> bool:
        """Whether the (folded) text states a quantity as `asked` asks for one: of its kind, beside its payment,
        at one of its rates. A total (the rate "total") is a quantity whose clause names no rate: a cap per
        building or a sum a year is no total."""
        stated = list(quantities(text, asked.kinds, asked.besides))
        if not stated or asked.payments and asked.payments.isdisjoint(_groups(self.lexicon.names_payment, text)):
            return False
        rates = asked.rates - {TOTAL}
        return (not asked.rates or not rates.isdisjoint(_groups(self.lexicon.names_rate, text))
                or TOTAL in asked.rates and any(not self._per_unit(text, found) for found in stated))

    def _per_unit(self, text: str, quantity: re.Match[str]) -> bool:
        """Whether a quantity is stated at a rate: its clause names one (每幢, "per building", "a year"), or an
        English indefinite article follows it ("HK$10 million a building")."""
        return (self.lexicon.names_rate.search(_clause(text, quantity.start())) is not None
                or _A_UNIT.match(text, quantity.end()) is not None)

    def _content_word(self, word: str) -> bool:
        stem = self.tokenizer.stem(word)
        return len(word) > 2 and bool(stem) and word not in self.framing and stem not in self.framing

    def _form(self, term: str) -> str:
        """A wording as matched: folded, or as stems when it is English only (a Chinese column's "ESG")."""
        folded = fold(term)
        return self.tokenizer.english(term).strip() if folded.isascii() else folded

    def _english_forms(self, entry: Entry) -> tuple[str, ...]:
        """An entry's English wordings as stems (low-altitude economy → "low altitud economi")."""
        stems = (self.tokenizer.english(phrase).strip() for phrase in entry.english)
        return tuple(dict.fromkeys(s for s in stems if s))

    def _english_words(self, question: str) -> list[str]:
        """The question's English content words that no glossary phrase covers."""
        return [word for word in dict.fromkeys(self.glossary.unmatched_words(question)) if self._content_word(word)]

    def _topical(self, entry: Entry) -> bool:
        """A glossary entry that names a topic: no body, and not framing only (propose → 建議)."""
        return entry.kind != "body" and not all(fold(t) in self.framing for t in entry.chinese)

    def read_phrases(self, question: str) -> list[tuple[str, Entry]]:
        """The glossary phrases of an English question that name a topic, terms and everyday words alike."""
        question = self.body_names.blank(question)
        return [(phrase, entry) for phrase, entry in self.glossary.matches(question) if self._topical(entry)]

    def reads_a_term(self, question: str) -> bool:
        """Whether an English question names a glossary term (a scheme, a place, a policy …), not only everyday
        words (build, expand): without one, "which bodies propose X" has no X to look for."""
        return any(not entry.dictionary for _, entry in self.read_phrases(question))

    def quoted(self, question: str) -> list[str]:
        """The Chinese terms the question quotes (a scheme's name: “一签多行”), bodies' names aside."""
        found = (m.group(1) for m in _QUOTED.finditer(question))
        return [term for term in found if _CJK.search(term) and term not in self.body_names]

    def missing_quoted(self, question: str, within: frozenset[int] | None = None) -> list[str]:
        """The terms the question quotes (`quoted`) that no passage has (none at the positions `within`, when
        given), spaces aside: jieba may cut such a name into everyday words that every passage has."""
        return [term for term in self.quoted(question) if re.sub(r"\s+", "", fold(term)) not in self._unspaced(within)]

    def missing_english_terms(self, question: str, positions: Iterable[int]) -> list[str]:
        """The English terms of two or more words that a Chinese question writes (「對 international schools 的學額」)
        and none of the English passages at `positions` states as written, word after word. The question names
        the thing asked about in the passages' own language there, so its words found apart (international here,
        schools there) are not it. Empty when no passage there reads English: the term may translate Chinese text."""
        english = [i for i in positions if self.reads_english[i]]
        if not english or not _chinese_question(question):
            return []
        terms = (m.group(0) for m in _ENGLISH_TERM.finditer(self.body_names.blank(question)))
        return [term for term in terms if len(stems := self.tokenizer.english(term).split()) >= 2
                and not any(f" {' '.join(stems)} " in self.texts[i][1] for i in english)]

    def missing_nouns(self, question: str, known: Callable[[str], bool],
                      within: frozenset[int] | None = None) -> list[str]:
        """The Chinese nouns naming what the question is about that no passage has, in any wording the glossary
        knows (產假 of 侍產假, 薪俸 of 薪俸稅): a Chinese passage that states the rest of the question is about
        something else. An English passage may word them in English, which nothing here can check. Not a word
        jieba may have cut across a corpus word (`known`: 名茶 of 每名茶藝學徒, where 茶藝 is one), nor a common one.
        A name the question quotes, or a compound jieba does not know, is looked for in the passages at the
        positions `within` when given (the documents a question about one body is asked of): such a name is
        written alike wherever it is stated, while a word (外勞) one body may write in other words (輸入勞工)."""
        return [c.label for c in self.concepts(question, drop_unknown=False)
                if c.topic_noun and not self.df(c.forms) and not any(known(edge) for edge in c.edges)
                and self.tokenizer.frequency(c.label) < _SPECIFIC_MAX_FREQUENCY] + self.missing_quoted(
            question, within) + self.missing_compounds(question, known, within)

    def worded_in_english(self, word: str, within: frozenset[int] | None = None) -> bool | None:
        """Whether English text may state a Chinese word: some English passage (of those at the positions `within`,
        when given) has a word of one of its dictionary senses (噪音: noise, rumble, static). Any word will do, since
        a document words a thing its own way (校舍, "school building": school premises); None when the dictionary
        has no sense for it, so English text can neither state nor lack it."""
        words = {stem for gloss in dictionary_glosses(word) for stem in self.tokenizer.english(gloss).split()}
        if not words:
            return None
        texts = self.texts if within is None else [self.texts[i] for i in sorted(within)]
        return any(self._in(stem, text) for stem in words for text in texts)

    def missing_compounds(self, question: str, known: Callable[[str], bool],
                          within: frozenset[int] | None = None) -> list[str]:
        """Compounds jieba does not know, cut into a word and a one-character noun after it (工作周 → 工作 / 周,
        旅遊稅 → 旅遊 / 稅, 電競 → 電 / 競), that no passage has (none at the positions `within`, when given): each
        part is everywhere, the thing itself nowhere.
        Not where jieba cut across a corpus word (`known`: 名茶 / 藝 of 每名茶藝學徒, where 茶藝 is one)."""
        text = without_years(fold(self._topic_text(question)))  # as `_chinese_concepts` reads it
        words = [(w, tag) for w, tag in self.tokenizer.words(text) if _CJK.search(w.text)]
        found, plain = [], self.framing | set(self.tokenizer.stopwords)
        for (head, head_tag), (tail, tail_tag) in zip(words, words[1:], strict=False):
            if (head.end == tail.start and len(tail.text) == 1 and tail_tag in _NOUN_TAGS and head_tag in _NOUN_TAGS
                    and not {head.text, tail.text} & plain
                    and not _ASKED_FOR.search(text, 0, head.start)
                    and not known(head.text[-1] + tail.text) and not known(text[head.start - 1:head.start + 1])
                    and head.text + tail.text not in self._unspaced(within)):
                found.append(head.text + tail.text)
        return found

    def unread_words(self, question: str) -> list[str]:
        """English content words of the question that neither the glossary nor any passage has: the answer
        cannot take them into account ("sugar" in "Which bodies propose a sugar tax?")."""
        question = self.body_names.blank(question)
        if not re.search("[A-Za-z]", question):
            return []
        # an adverb or a comparative ("freely", "older") names no thing: as in `concepts`, no word to be read
        return [word for word in self._english_words(question)
                if "'" not in word and not self.df((self.tokenizer.stem(word),)) and not _says_how_much(word)]

    def unread_key_words(self, question: str) -> list[str]:
        """The unread words (`unread_words`) shaped as nouns or their modifiers, not verbs: the thing asked about
        ("sugar" of "a sugar tax", "casino"), which no passage can be shown to state."""
        unread = set(self.unread_words(question))
        if not unread:
            return []
        blanked = self.body_names.blank(question)
        # a trailing participle clause says how or why, not what ("…, taking a leaf from Macao?"); examples
        # ("…, for example through cheaper premiums") illustrate the topic, any one of them will do
        asides = [m.start() for m in _PARTICIPLE_CLAUSE.finditer(normalise(blanked))]
        asides += [m.start() for m in self.lexicon.examples.finditer(blanked)]
        aside = min(asides, default=len(blanked))
        return [f.phrase for f in self.glossary.scan(blanked)
                if f.entry is None and f.phrase in unread and not _verb_shaped(blanked, f) and f.start < aside
                and not _says_how_much(f.phrase)]

    def _chinese_concepts(self, question: str) -> list[tuple[Concept, float]]:
        text = without_years(fold(question))  # 2024年同2025年 is no topic (and jieba glues 年同)
        pieces = [t for t in self.tokenizer.tokens(text) if _CJK.search(t.text)]
        out = []
        for word, tag in self.tokenizer.words(text):
            if (not _CJK.search(word.text) or word.text in self.framing or word.text in self.body_names
                    or word.text in self.tokenizer.stopwords):
                continue
            pos_weight = self._pos_weight(tag)
            inside = [p for p in pieces if word.start <= p.start and p.end <= word.end and p.text != word.text]
            framing = [p for p in inside if p.text in self.framing]
            if framing:
                # 大力發展 or 積極參與: framing glued to a word; keep what is left (參與), as a verb would weigh.
                rest = [p for p in inside if p.text not in self.framing
                        and not any(p.start < f.end and f.start < p.end for f in framing)]
                if not rest:
                    continue
                word = max(rest, key=lambda p: p.end - p.start)
                inside = [p for p in pieces if word.start <= p.start and p.end <= word.end and p.text != word.text]
                pos_weight *= 0.5
            if pos_weight == 0:
                continue
            forms = tuple(sorted({word.text} | self._variants.get(word.text, set())))
            parts = tuple(dict.fromkeys(p.text for p in inside if p.text not in self.framing))
            noun = tag[:1] == "n" and len(word.text) > 1 and not _ASKED_FOR.search(text, 0, word.start)
            edges = tuple(edge for edge in (text[word.start - 1:word.start + 1] if word.start else "",
                                            text[word.end - 1:word.end + 1]) if len(_CJK.findall(edge)) == 2)
            out.append((Concept(word.text, forms, parts, topic_noun=noun, edges=edges), pos_weight))
        return out

    # -- statistics over the corpus -------------------------------------------------------------------
    @staticmethod
    def _in(form: str, text: tuple[str, str]) -> bool:
        """Whether a (folded text, English stems) pair states a form: an English one as consecutive stems."""
        if form.isascii():
            return f" {form} " in text[1]
        return form in text[0]

    def df(self, forms: tuple[str, ...]) -> int:
        """How many passages state the concept (any of its forms)."""
        key = tuple(sorted(forms))
        return _kept(self._df, key, lambda: sum(1 for text in self.texts if any(self._in(f, text) for f in key)))

    def idf(self, forms: tuple[str, ...]) -> float:
        return idf(self.n, self.df(forms))

    # -- coverage -------------------------------------------------------------------------------------
    def _credit(self, concept: Concept, text: tuple[str, str]) -> float:
        if concept.any_of:
            return max(self._credit(example, text) for example in concept.any_of)
        if any(self._in(form, text) for form in concept.forms):
            return 1.0
        weighted, total = self._partial(concept)
        return self.judge.partial_credit * sum(w for w, p in weighted if self._in(p, text)) / total if total else 0.0

    def _partial(self, concept: Concept) -> tuple[tuple[tuple[float, str], ...], float]:
        """The concept's parts that earn partial credit, with their IDF weights, and the weights' sum; none when
        the concept is in no passage (聯繫匯率: 聯繫 here and 匯率 there are not it). Corpus statistics only, so
        kept per concept: coverage asks it for every window of every passage ranked."""
        def make() -> tuple[tuple[tuple[float, str], ...], float]:
            if not self.df(concept.forms):
                return (), 0.0
            weighted = tuple((self.idf((p,)), p) for p in concept.parts if self.df((p,)))
            return weighted, sum(w for w, _ in weighted)

        return _kept(self._partials, (concept.forms, concept.parts), make)

    def readable(self, concepts: list[Concept], position: int) -> list[Concept]:
        """The concepts the passage can be asked about: in English text, those with an English wording (an English
        word, or a glossary term's English side); in Chinese text, those with a Chinese wording. A word of one
        language that no glossary entry carries into the other can neither be found nor missed in the other."""
        english, chinese = self.reads_english[position], self.reads_chinese[position]
        return [c for c in concepts
                if c.unread
                or (english and any(form.isascii() for form in c.forms))
                or (chinese and any(not form.isascii() for form in c.forms))
                or (chinese and self._states_english(c, position))]

    def _states_english(self, concept: Concept, position: int) -> bool:
        """Whether a Chinese passage writes the question's English word itself (「發展 esports 產業」, 「ESG 報告」):
        there that word can be found, as in English text. Only the word as the question writes it: a glossary
        synonym (STEM for STEAM) in Chinese text is another programme, not the one asked about."""
        form = self._form(concept.label)
        return bool(form) and form.isascii() and self._in(form, self.texts[position])

    def of(self, concepts: list[Concept], position: int, quantity: Asked | None = None,
           strict: bool = False) -> float:
        """The share (0–1) of the weight of the concepts the passage can be asked about (`readable`) that its
        best window states; with `quantity`, the best window that also states the quantity asked for (`answers`;
        0 when none does).
        `strict`: the share of all the concepts' weight, so a passage in which the question's key word cannot be
        looked for (聯繫匯率 in English text) does not state the question by the few words it can be asked about."""
        total = sum(c.weight for c in concepts) if strict else 0.0
        concepts = self.readable(concepts, position)
        total = total or sum(c.weight for c in concepts)
        if not total:
            return 0.0
        windows = self.windows[position]
        kept = [w for w, text in enumerate(windows) if quantity is None or self.answers(text[0], quantity)]
        rows = [(c.weight, self._window_credits(c, position)) for c in concepts]
        return max((sum(weight * credits[w] for weight, credits in rows) / total for w in kept), default=0.0)

    def own_of(self, concepts: list[Concept], position: int, own: Callable[[str, str], bool]) -> float:
        """`of` (strict) over the passage's sentences in its body's own voice (those `own(sentence, body)` keeps):
        a view it reports (有會員建議…, "Some commentators have suggested …") or background about another place
        states the question in words that are not the body's proposal. The windows are kept per passage and
        predicate, so `own` must be hashable, equal predicates reading alike (rag.answer.roles.OwnVoice)."""
        chunk = self._chunks[position]
        windows = _kept(self._own, (position, own), lambda: [
            w for path, text in _sections(chunk)
            for w in self._windows(path, text, self.judge.window_sentences, keep=lambda s: own(s, chunk.body))])
        total = sum(c.weight for c in concepts)
        concepts = self.readable(concepts, position)
        if not total or not concepts:
            return 0.0
        return max((sum(c.weight * self._credit(c, text) for c in concepts) / total for text in windows), default=0.0)

    def _window_credits(self, concept: Concept, position: int) -> tuple[float, ...]:
        """The concept's credit in each window of the passage. One answer asks the same passage about the same
        concepts many times (per phrasing, per body, strict and not), so they are kept, boundedly."""
        return _kept(self._credits, (concept.forms, concept.parts, position),
                     lambda: tuple(self._credit(concept, text) for text in self.windows[position]))

