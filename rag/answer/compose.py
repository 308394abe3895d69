"""The extractive composer: answers built only from verbatim quotes, each cited as [n].

Three shapes: an ordinary answer (the best passages), "which bodies" (retrieved per body, a body kept only
when its best passage covers the question), and comparisons (side by side, "not addressed" where a side
is silent). When nothing covers the question it abstains and shows the closest passages as possibly related.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rag.answer.citations import body_label, body_short, section_label
from rag.answer.concepts import Concept, ConceptCoverage
from rag.answer.quotes import one_line, shown
from rag.answer.relevance import Coverage
from rag.answer.roles import NEVER_QUOTED, OwnVoice, Role, SentenceRoles
from rag.answer.scope import Scope, describe
from rag.answer.sources import make_sources
from rag.config import JudgeSettings
from rag.corpus.catalog import Catalog
from rag.corpus.lexicon import Lexicon
from rag.corpus.sections import restates
from rag.text.tokenize import Tokenizer, fold
from rag.types import Chunk, Filters, Language, Notice, ScoredChunk, Source, WarningCode
from rag.understand.intent import Intent, QuestionIntent
from rag.understand.query import Query

Search = Callable[[Query, int, Filters], list[ScoredChunk]]


@dataclass
class Composed:
    text: str
    sources: list[Source]
    bodies: list[str]
    abstained: bool = False
    notes: list[Notice] = field(default_factory=list)
    # whether an LLM may put it in its own words: not an answer whose lead says what its passages are not
    synthesise: bool = True


@dataclass
class ComposeContext:
    chunks: list[Chunk]
    documents: dict[str, str]
    catalog: Catalog
    tokenizer: Tokenizer
    coverage: Coverage
    concepts: ConceptCoverage
    lexicon: Lexicon
    judge: JudgeSettings
    search: Search  # (query, top_k, filters) → ranked chunks, best first
    by_meaning: Callable[[], bool] = lambda: False  # whether the searches ran with the embedding model
    # (chunk ids, top_k, filters) → the chunks closest in meaning to those (rag.retrieve.DenseRetriever.like); None
    # without the embedding model
    similar: Callable[[list[str], int, Filters], list[ScoredChunk]] | None = None


_TEXT = {
    "en": {
        # a question asking who mentions something (asks_mentions) is answered with "mention", never "propose"
        "bodies_mention": "{n} of the {total} bodies in the corpus {mention} this: {names}.",
        "none_body_mention": "None of the bodies in the corpus mentions this.",
        "bodies_mention_scoped": "{within}, {n} of the {total} bodies {mention} this: {names}.",
        "bodies_one_mention_scoped": "{within}, {names} mentions this.",
        "none_body_mention_scoped": "{within}, no body mentions this.",
        "unchecked": ("These passages are in another language than the question, and no glossary entry links its "
                      "words to theirs, so they could not be checked word for word; they are the closest in meaning "
                      "by the embedding model:"),
        "intro": "From the submissions in the corpus:",
        "analogue": ("{name} makes no proposal on exactly this. Its passages closest in meaning to the one the "
                     "previous answer cited first:"),
        "abstain": "No passage in the corpus answers this question. Possibly related passages:",
        "bodies": "{n} of the {total} bodies in the corpus {propose} this: {names}.",
        "none_body": "None of the bodies in the corpus proposes this.",
        "both_docs": "in its {years} papers",
        "not_found": "Not found in the submissions of: {names}.",
        "not_addressed": "not addressed in its submissions in the corpus.",
        "outsider": "The corpus holds no submission from {name}; it covers {bodies}.",
        # under the user's filters: {within} is "In FHKI's 2023 submission" (rag.answer.scope)
        "intro_scoped": "{within}:",
        "abstain_scoped": "{within}, no passage answers this question. Possibly related passages:",
        "bodies_scoped": "{within}, {n} of the {total} bodies {propose} this: {names}.",
        "bodies_one_scoped": "{within}, {names} proposes this.",
        "none_body_scoped": "{within}, no body proposes this.",
        "scope_scoped": "{within}:",
        "related_scoped": "Possibly related passages:",
        "no_match": "No submission matches the filter ({filters}).",
        "cites": "citing {who}'s {what}: ",
        "cites_unnamed": "citing a {what} it reports: ",
        "suggestion": "suggestion",
        "view": "view",
        "measure": "measure",
    },
    "zh-Hant": {
        "bodies_mention": "資料庫 {total} 個團體中，有 {n} 個提及此事：{names}。",
        "none_body_mention": "資料庫中沒有團體提及此事。",
        "bodies_mention_scoped": "{within}，{total} 個團體中有 {n} 個提及此事：{names}。",
        "bodies_one_mention_scoped": "{within}，{names}提及此事。",
        "none_body_mention_scoped": "{within}，沒有團體提及此事。",
        "unchecked": ("以下段落與問題的語言不同，詞彙表中亦沒有對應詞，未能逐字核對；"
                      "以下是嵌入模型判斷意思最接近的段落："),
        "intro": "根據資料庫中的建議書：",
        "analogue": "{name}沒有就此直接提出建議。以下是其文件中與上一個答案首個引文意思最接近的段落：",
        "abstain": "資料庫中沒有段落回答這個問題。可能相關的段落：",
        "bodies": "資料庫 {total} 個團體中，有 {n} 個提出這項建議：{names}。",
        "none_body": "資料庫中沒有團體提出這項建議。",
        "both_docs": "見於其 {years} 年的文件",
        "not_found": "以下團體的文件中沒有相關建議：{names}。",
        "not_addressed": "資料庫中的文件未有論及。",
        "outsider": "資料庫中沒有{name}的文件；現有文件來自 {bodies}。",
        "intro_scoped": "{within}：",
        "abstain_scoped": "{within}，沒有段落回答這個問題。可能相關的段落：",
        "bodies_scoped": "{within}，{total} 個團體中有 {n} 個提出這項建議：{names}。",
        "bodies_one_scoped": "{within}，{names}提出這項建議。",
        "none_body_scoped": "{within}，沒有團體提出這項建議。",
        "scope_scoped": "{within}：",
        "related_scoped": "可能相關的段落：",
        "no_match": "沒有文件符合篩選條件（{filters}）。",
        "cites": "引述{who}的{what}：",
        "cites_unnamed": "引述他人的{what}：",
        "suggestion": "建議",
        "view": "看法",
        "measure": "措施",
    },
    "zh-Hans": {
        "bodies_mention": "资料库 {total} 个团体中，有 {n} 个提及此事：{names}。",
        "none_body_mention": "资料库中没有团体提及此事。",
        "bodies_mention_scoped": "{within}，{total} 个团体中有 {n} 个提及此事：{names}。",
        "bodies_one_mention_scoped": "{within}，{names}提及此事。",
        "none_body_mention_scoped": "{within}，没有团体提及此事。",
        "unchecked": ("以下段落与问题的语言不同，词汇表中亦没有对应词，未能逐字核对；"
                      "以下是嵌入模型判断意思最接近的段落："),
        "intro": "根据资料库中的建议书：",
        "analogue": "{name}没有就此直接提出建议。以下是其文件中与上一个答案首个引文意思最接近的段落：",
        "abstain": "资料库中没有段落回答这个问题。可能相关的段落：",
        "bodies": "资料库 {total} 个团体中，有 {n} 个提出这项建议：{names}。",
        "none_body": "资料库中没有团体提出这项建议。",
        "both_docs": "见于其 {years} 年的文件",
        "not_found": "以下团体的文件中没有相关建议：{names}。",
        "not_addressed": "资料库中的文件未有论及。",
        "outsider": "资料库中没有{name}的文件；现有文件来自 {bodies}。",
        "intro_scoped": "{within}：",
        "abstain_scoped": "{within}，没有段落回答这个问题。可能相关的段落：",
        "bodies_scoped": "{within}，{total} 个团体中有 {n} 个提出这项建议：{names}。",
        "bodies_one_scoped": "{within}，{names}提出这项建议。",
        "none_body_scoped": "{within}，没有团体提出这项建议。",
        "scope_scoped": "{within}：",
        "related_scoped": "可能相关的段落：",
        "no_match": "没有文件符合筛选条件（{filters}）。",
        "cites": "引述{who}的{what}：",
        "cites_unnamed": "引述他人的{what}：",
        "suggestion": "建议",
        "view": "看法",
        "measure": "措施",
    },
}


_UNREAD = ("Words of the question found neither in the glossary nor in any passage: {words}. No passage could be "
           "shown to state them; the answer rests on the rest of the question.")


_UNREAD_TOPIC = ("The question's {words} in neither the glossary nor any passage; what could be read ({read}) "
                 "names no topic on its own.")
_UNREAD_KEY = ("The question's {words} in neither the glossary nor any passage, so no passage can be shown to say what "
               "was asked; the passages below match only the rest of it ({read}).")


_UNCHECKED = ("The passages are in another language than the question and were matched by the embedding model only: "
              "the question's words could not be checked in them.")
_READABLE_SHARE = 0.5  # below this share of a question's concepts checkable in a passage, it is "unchecked"


def _t(language: str, key: str) -> str:
    return _TEXT.get(language, _TEXT["zh-Hant"])[key]


def _where(source: Source, language: str) -> str:
    if language == Language.EN:
        return f"{source.year}, {section_label(source, language)}".strip()
    return f"{source.year}年，{section_label(source, language)}".strip()


def _bullet(source: Source, language: str, catalog: Catalog, with_body: bool = True) -> str:
    who = f"**{body_label(source.body, catalog, language)}**" if with_body else ""
    who += " " if who and language == "en" else ""
    open_, close = ("(", ")") if language == "en" else ("（", "）")
    colon = ": " if language == "en" else "："
    return (f"- {who}{open_}{_where(source, language)}{close}{colon}{_cites(source, language)}"
            f"「{shown(one_line(source.quote))}」 [{source.n}]")


def _cites(source: Source, language: str) -> str:
    """"citing X's suggestion: " when the quote reports another party's words or measure, not the body's own
    ("" else)."""
    reports = source.reports
    if reports is None:
        return ""
    what = _t(language, "measure" if reports.measure else "suggestion" if reports.suggestion else "view")
    if not reports.who:
        return _t(language, "cites_unnamed").format(what=what)
    return _t(language, "cites").format(who=reports.who, what=what)


class ExtractiveComposer:
    def __init__(self, context: ComposeContext) -> None:
        self.ctx = context
        self.judge = context.judge
        self._framing = context.concepts.framing  # framing and question words: how a question is put, no topic
        self._roles = SentenceRoles(context.lexicon, context.catalog)
        self._scope: Scope | None = None  # the user's filters, while composing (rag.answer.scope)
        self._scope_stated = False

    def _sources(self, ranked: list[ScoredChunk], query: Query, proposals_first: bool = False) -> list[Source]:
        words = [*query.tokens, *query.translated]  # an English passage found for a Chinese question quotes its words
        # quotes are chosen by the question's topic first: not by framing (建議) nor body names (工業總會提出…)
        topic = self.ctx.coverage.weights([t for t in [*query.topic, *query.translated] if t not in self._framing],
                                          drop_unknown=True)
        return make_sources(ranked, self.ctx.chunks, words, self.ctx.tokenizer, self.ctx.documents, self._roles,
                            proposals_first=proposals_first, topic=topic)

    def topic_weights(self, query: Query, drop_unknown: bool | None = None) -> dict[str, float]:
        """IDF weights of the question's topic tokens, framing dropped.

        Words no passage contains weigh most (a Chinese topic the corpus lacks should push towards
        abstaining), except in English questions, where most words never occur in Chinese passages anyway,
        and when comparing bodies with each other (`drop_unknown=True`), where they favour no one.
        """
        # body names are no topic (Query.topic); a question of names and framing only falls back to its tokens
        topic = [t for t in query.topic if t not in self._framing] or query.topic or query.tokens
        drop = query.read_language == "en" if drop_unknown is None else drop_unknown
        return self.ctx.coverage.weights(topic, drop_unknown=drop)

    def compose(self, query: Query, intent: QuestionIntent, top_k: int, filters: Filters,
                like: list[str] | None = None) -> Composed:
        """The answer; under the user's `filters` its first line names the documents in play (never the corpus).
        `like`: for a follow-up that puts the previous question to another body, the chunk ids of the passages the
        previous answer cited (see `_analogue`)."""
        self._scope, self._scope_stated = Scope.of(filters, self.ctx.catalog), False
        self._like = like or []
        self._mentions = self.ctx.lexicon.asks_mentions.search(fold(query.question)) is not None
        if self._scope is not None and not self._scope.documents:
            text = _t(query.language, "no_match").format(filters=describe(filters, self.ctx.catalog, query.language))
            return Composed(text, [], [], abstained=True)
        composed = self._read_and_compose(query, intent, top_k, filters)
        if self._scope is not None and not self._scope_stated:  # a shape with no lead of its own (a comparison)
            composed.text = "\n".join([self._lead(query.language, "scope"), composed.text])
        return composed

    def _lead(self, language: str, key: str, **fields: object) -> str:
        """The template `key`, or under the user's filters its scoped form naming the documents in play."""
        if "n" in fields:  # English agrees the verb with the count: "1 of the 3 bodies proposes this"
            fields = {"propose": "proposes" if fields["n"] == 1 else "propose",
                      "mention": "mentions" if fields["n"] == 1 else "mention", **fields}
        if self._mentions and key in ("bodies", "none_body"):
            key = f"{key}_mention"
        if self._scope is None:
            return _t(language, key).format(**fields)
        if key.startswith("bodies") and fields.get("total") == 1:
            key = key.replace("bodies", "bodies_one", 1)
        if key == "abstain" and self._scope_stated:  # the lead above named the documents already
            key = "related"
        self._scope_stated = True
        within = self._scope.within(language, self.ctx.catalog)
        return _t(language, f"{key}_scoped").format(within=within, **fields)

    def _read_and_compose(self, query: Query, intent: QuestionIntent, top_k: int, filters: Filters) -> Composed:
        # An answer rests on the words read; say which were not (English words outside the glossary). When the words
        # read are only everyday ones ("building" of "a casino on Lantau"), no body is said to propose it; nor does
        # a passage answer any question with as many words unread as known to the glossary or a passage ("ignore",
        # "previous", "instructions" … of "print your system prompt"): it names no topic the corpus has.
        # "Which bodies propose a sugar tax?": the thing asked about is a sugar tax, which nothing read can show a
        # body proposing, however much of it is about tax. So no body is named. Ordinary answers weigh unread words
        # as missing from every passage (rag.answer.concepts) and show their quotes, which speak for themselves.
        which = intent.kind is Intent.WHICH_BODIES and query.read_language == "en"
        unread = self.ctx.concepts.unread_words(query.question) if query.read_language == "en" else []
        key = self.ctx.concepts.unread_key_words(query.question) if which else []
        known = (len([c for c in self.ctx.concepts.concepts(query.question) if not c.unread])
                 if unread and not which else 0)
        if key or (unread and not self.ctx.concepts.reads_a_term(query.question) and (which or len(unread) >= known)):
            read = [phrase for phrase, _ in self.ctx.concepts.read_phrases(query.question)]
            shown = key or unread
            quoted = ", ".join(f"“{w}”" for w in shown)
            words = f"word {quoted} is" if len(shown) == 1 else f"words {quoted} are"
            lead = (_UNREAD_KEY if key else _UNREAD_TOPIC).format(words=words, read=", ".join(read) or "nothing")
            lead = " ".join([self._lead("en", "none_body"), lead]) if which else lead
            return self._abstain(query, self.ctx.search(query, top_k, filters), lead=lead)
        composed = self._compose(query, intent, top_k, filters)
        if which and unread and not composed.abstained:
            composed.notes.append(Notice(WarningCode.UNREAD_WORDS, _UNREAD.format(words=", ".join(unread))))
        return composed

    def _compose(self, query: Query, intent: QuestionIntent, top_k: int, filters: Filters) -> Composed:
        weights = self.topic_weights(query)
        outsider = self._outside_corpus(intent)
        if outsider:
            lead = _t(query.language, "outsider").format(
                name=outsider, bodies=", ".join(self.ctx.catalog.body_codes()))
            return self._abstain(query, self.ctx.search(query, top_k, filters), lead=lead)
        if intent.kind is Intent.WHICH_BODIES:  # abstains itself when no body's passage states the topic
            return self._which_bodies(query, self.topic_weights(query, drop_unknown=True), top_k, filters)
        if intent.kind is Intent.COMPARE:
            # comparisons still abstain when nothing in the compared bodies' passages covers the topic
            within = replace(filters, bodies=frozenset(intent.bodies)) if (
                filters.bodies is None and len(intent.bodies) >= 2) else filters
            ranked = self.ctx.search(query, top_k, within)
            if self._unanswered(query, weights, ranked):
                return self._abstain(query, ranked)
            return self._compare(query, intent, self.topic_weights(query, drop_unknown=True), filters, top_k)
        if intent.bodies and filters.bodies is None:
            # "經民聯對低空經濟有甚麼建議" asks about that body, "What do KAID and BMTE each ask for?" about those two,
            # within any year or document filter
            filters = replace(filters, bodies=frozenset(intent.bodies))
        return self._ordinary(query, weights, top_k, filters)

    def _outside_corpus(self, intent: QuestionIntent) -> str | None:
        """An organisation the question asks about that has no submission here (and no mention either)."""
        if intent.bodies:
            return None
        for name in intent.unknown_bodies:
            key = fold(name)
            if not any(key in fold(text) for text in self.ctx.documents.values()):
                return name
        return None

    def _abstain(self, query: Query, ranked: list[ScoredChunk], lead: str | None = None) -> Composed:
        sources = self._sources(ranked, query)
        lines = [lead, self._lead(query.language, "abstain")] if lead else [self._lead(query.language, "abstain")]
        lines += [_bullet(s, query.language, self.ctx.catalog) for s in self._presentable(sources)[:3]]
        return Composed("\n".join(lines), sources, [], abstained=True)

    def _ordinary(self, query: Query, weights: dict[str, float], top_k: int, filters: Filters) -> Composed:
        ranked = self.ctx.search(query, top_k, filters)
        if self._about_nothing_here(query, ranked, filters):
            return self._analogue(query, filters) or self._abstain(query, ranked)
        if filters.bodies and self._beyond_reading(query, ranked):
            # a number asked for must be there, next to what was read, and in the passage the model puts first
            if not self._states_quantity(query, ranked) or not self._closest_states_quantity(query, ranked):
                return self._abstain(query, ranked)
            if self.ctx.concepts.missing_english_terms(query.question, [i for i, _ in ranked]):
                # the one thing here that can be checked, the English term the question writes, is not there
                return self._abstain(query, ranked)
            return self._unchecked(query, ranked)
        if self._unanswered(query, weights, ranked) or not self._states_quantity(query, ranked):
            return self._analogue(query, filters) or self._abstain(query, ranked)
        # cited by what they state of the question: its tokens, or its concepts (as `_unanswered` judged them)
        concepts = self.ctx.concepts.concepts(query.question, drop_unknown=query.read_language == "en")
        covered = [max(self.ctx.coverage.of(weights, i), self.ctx.concepts.of(concepts, i)) for i, _ in ranked]
        asks_proposals = self.ctx.lexicon.asks_proposals.search(query.question) is not None
        sources = self._sources(ranked, query, proposals_first=asks_proposals)
        above = [(s, i) for s, c, (i, _) in zip(sources, covered, ranked, strict=True) if c >= self.judge.cite_at]
        # a section of the body before a summary, a conclusion or an appendix that restates it (stable: by rank)
        above.sort(key=lambda item: self._restates(item[1]))
        cited = self._presentable([s for s, _ in above])[:self.judge.max_cited] or sources[:1]
        lines = [self._lead(query.language, "intro"), *(_bullet(s, query.language, self.ctx.catalog) for s in cited)]
        return Composed("\n".join(lines), sources, list(dict.fromkeys(s.body for s in cited)))

    def _analogue(self, query: Query, filters: Filters) -> Composed | None:
        """A follow-up that puts the previous question to another body ("What about SFTA?" after JATL's electric
        minibuses) whose papers do not state it: that body's passages closest in meaning to the ones the previous
        answer cited (`like`), its proposal of the same kind (electric fishing vessels), under a lead saying it is no
        proposal on the question itself. None when there is nothing to compare with or no model to compare by."""
        if not self._like or self.ctx.similar is None or not filters.bodies or len(filters.bodies) != 1:
            return None
        hits = self.ctx.similar(self._like, self.judge.per_body, filters)
        if not hits:
            return None
        [body] = filters.bodies
        hits.sort(key=lambda hit: self._restates(hit.position))  # its own section before a summary restating it
        sources = self._presentable(self._sources(hits, query))
        lines = [_t(query.language, "analogue").format(name=body_label(body, self.ctx.catalog, query.language)),
                 *(_bullet(s, query.language, self.ctx.catalog) for s in sources)]
        return Composed("\n".join(lines), sources, [body], synthesise=False)

    def _beyond_reading(self, query: Query, ranked: list[ScoredChunk]) -> bool:
        """The question asks about given bodies, the model ranked their passages, and the best of them can be
        checked against little of the question: they are in the other language and the glossary links few of its
        words to theirs (a Chinese question about an English submission). Abstaining there would decline nearly
        every such question; answering as if checked would vouch for what was not read."""
        # English questions over Chinese text have the glossary, written for that direction, and are judged as before
        if not ranked or not self.ctx.by_meaning() or query.read_language == Language.EN:
            return False
        concepts = self.ctx.concepts.concepts(query.question, drop_unknown=query.read_language == "en")
        total = sum(c.weight for c in concepts)
        if not total:
            return False
        # Most of the question unreadable in each of the best passages: what can be checked says too little.
        return all(sum(c.weight for c in self.ctx.concepts.readable(concepts, i)) < _READABLE_SHARE * total
                   for i, _ in ranked[:3])

    def _closest_states_quantity(self, query: Query, ranked: list[ScoredChunk]) -> bool:
        """For an answer the words could not check (`_beyond_reading`): a how-many question is answered only when
        the passage the model finds closest states a quantity of the kind asked for. The rest of the question is
        in words nothing here reads, so that passage is all the answer rests on (申請費定為多少 of a day-trip
        permit whose English passage states no fee)."""
        if not self.ctx.concepts.asks_quantity(query.question):
            return True
        closest = fold(self.ctx.chunks[ranked[0].position].text)
        return self.ctx.concepts.answers(closest, self.ctx.concepts.asked(query.question))

    def _unchecked(self, query: Query, ranked: list[ScoredChunk]) -> Composed:
        """The model's closest passages, said to be unchecked (and why), with a notice; no quantity is vouched for."""
        sources = self._sources(ranked, query, proposals_first=True)
        cited = self._presentable(sources)[:2]
        lines = [_t(query.language, "unchecked"), *(_bullet(s, query.language, self.ctx.catalog) for s in cited)]
        notice = Notice(WarningCode.UNCHECKED_LANGUAGE, _UNCHECKED)
        return Composed("\n".join(lines), sources, list(dict.fromkeys(s.body for s in cited)), notes=[notice])

    def _unanswered(self, query: Query, weights: dict[str, float], ranked: list[ScoredChunk]) -> bool:
        """Nothing retrieved covers the question: its concepts (rag.answer.concepts) fall short, or, for a Chinese
        question, its tokens do. English questions are judged by their concepts alone (their glossary
        phrases), since most English words occur in no passage; with no concept, by tokens."""
        if not ranked:
            return True
        concepts = self.ctx.concepts.concepts(query.question, drop_unknown=query.read_language == "en")
        # judged on the passages that can be asked about them (English words outside the glossary: English ones)
        judged = [i for i, _ in ranked if self.ctx.concepts.readable(concepts, i)] if concepts else []
        if judged:
            best = max(judged, key=lambda i: self.ctx.concepts.of(concepts, i))
            english = query.read_language == "en" and not self.ctx.concepts.reads_chinese[best]
            floor = self.judge.abstain_below_english if english else self.judge.abstain_below
            if self.ctx.concepts.of(concepts, best) < floor:
                return True
        if judged and query.read_language == "en":
            return False
        # a Chinese question's tokens are looked for in Chinese text only (an English passage has none of them)
        same_script = [i for i, _ in ranked if self.ctx.concepts.reads_chinese[i]]
        if judged and not same_script:
            return False
        # a term's other glossary wording is the same word (食品產業園 asked, 食品工業園 written): best phrasing counts
        phrasings = [weights, *(self.topic_weights(replace(query, tokens=tokens, topic_tokens=None, rephrased=[]))
                                for tokens in query.rephrased)]
        # … but not its English words (a scheme's English name in a Chinese question) nor their Chinese wordings:
        # the concepts judged those, as alternatives. English words those passages write (AI, ESG) stay. When the
        # rest carries little of the question, its own Chinese words are framing (「…設在哪裏？」): the concepts decide.
        if judged and any(ch.isascii() and ch.isalpha() for ch in query.question):
            own = fold(query.question)
            written = set().union(*(self.ctx.coverage.sets[i] for i in same_script))
            kept = [{t: w for t, w in p.items() if (t in written if t.isascii() else t in own)} for p in phrasings]
            if sum(kept[0].values()) < 0.5 * sum(phrasings[0].values()):
                return False
            phrasings = [p for p in kept if p]
        return max((self.ctx.coverage.of(w, i) for w in phrasings for i in same_script),
                   default=0.0) < self.judge.abstain_below

    def _about_nothing_here(self, query: Query, ranked: list[ScoredChunk], filters: Filters) -> bool:
        """A Chinese question about a thing no passage names (薪俸 of "提高薪俸稅的基本免稅額"), answered first from a
        Chinese passage: it states the rest of the question (免稅額) about something else. Asked of some documents
        (a body named, or the user's filters), the thing is looked for in those: another body's 電競 is no
        answer to what this one proposes about it. Answered first from an English passage, the thing is looked for
        in its dictionary senses (噪音: noise) in every English passage asked of; one the dictionary does not know
        cannot be checked there. (Comparisons weigh each side apart.)"""
        if query.read_language == "en" or not ranked:
            return False
        within = frozenset(i for i, c in enumerate(self.ctx.chunks) if filters.admits(c)) if filters else None
        missing = self.ctx.concepts.missing_nouns(query.question, known=self.ctx.coverage.idf.__contains__,
                                                  within=within)
        if self.ctx.concepts.reads_chinese[ranked[0].position]:  # the passage that would answer first
            return bool(missing)
        # … an English one: a thing the dictionary words in English (噪音: noise) that no English passage states
        return any(self.ctx.concepts.worded_in_english(noun, within) is False for noun in missing)

    def _states_quantity(self, query: Query, ranked: list[ScoredChunk]) -> bool:
        """False when the question asks how many / how much and no passage states a quantity next to its
        concepts (BPA says low-altitude economy creates jobs, but gives no number of jobs). When some passages
        state the question well (quantity_topic_at), the quantity must be in one of them; when some name every
        term the question quotes (「跨境數據白名單」 試點何時開始), in one of those: a date in the section on
        another pilot is not this one's."""
        if not self.ctx.concepts.asks_quantity(query.question):
            return True
        concepts = self.ctx.concepts.concepts(query.question)
        # "how much money": a sum, not a count of months; "what licence fee": a fee, not a fund; of the 200 rooftops
        # it names, how many: not 200; "how many a year": a number a year
        asked = self.ctx.concepts.asked(query.question)
        positions = [i for i, _ in ranked]
        if self.ctx.concepts.quoted(query.question):
            positions = [i for i in positions
                         if not self.ctx.concepts.missing_quoted(query.question, frozenset({i}))] or positions
        coverage = {i: self.ctx.concepts.of(concepts, i) for i in positions}
        at = self.judge.quantity_topic_at
        on_topic = at if max(coverage.values(), default=0.0) >= at else 0.0
        return max((self.ctx.concepts.of(concepts, i, quantity=asked)
                    for i, covered in coverage.items() if covered >= on_topic), default=0.0) >= self.judge.abstain_below

    def _best_per_body(self, query: Query, weights: dict[str, float], body: str, filters: Filters,
                       years: list[int] | None = None,
                       concepts: list[Concept] | None = None) -> list[tuple[int, float, float]]:
        """(position, score, coverage) of a body's best passages, most covering first.

        The question is also searched with glossary synonyms (食品產業園 / 食品工業園): a body proposes a thing
        however its document words it. Coverage is of the `concepts` (which count those synonyms already)
        when given, else of the question's tokens, the best over the phrasings.
        """
        within = filters.narrowed(body=body, years=years)
        phrasings = [(query, weights)] + [
            (rephrased, self.topic_weights(rephrased, drop_unknown=True))
            for rephrased in (replace(query, tokens=tokens, topic_tokens=None, rephrased=[])
                              for tokens in query.rephrased)
        ]
        best: dict[int, tuple[float, float]] = {}
        for phrasing, phrasing_weights in phrasings:
            for i, score in self.ctx.search(phrasing, 10, within):
                # a body is said to propose it only where the whole question can be checked (strict)
                covered = (self.ctx.concepts.of(concepts, i, strict=True) if concepts is not None
                           else self.ctx.coverage.of(phrasing_weights, i))
                if i not in best or covered > best[i][1]:
                    best[i] = (max(score, best.get(i, (0.0, 0.0))[0]), covered)
        # the body's own section before a summary or an appendix that repeats it, when both cover as much
        return sorted(((i, s, c) for i, (s, c) in best.items()),
                      key=lambda item: (-item[2], self._restates(item[0]), -item[1]))

    def _in_own_voice(self, best: list[tuple[int, float, float]], body: str,
                      concepts: list[Concept] | None) -> list[tuple[int, float, float]]:
        """A body's best passages (`_best_per_body`), each covering only what its own sentences state: a view the
        body reports or a place it describes is no proposal of its own (「亦有會員建議放寬…；本會不作建議」)."""
        if concepts is None:
            return best
        keep_at = self.judge.body_keep_at
        own = OwnVoice(self._roles)
        # only a passage that would name the body is read again
        checked = [(i, s, self.ctx.concepts.own_of(concepts, i, own) if c >= keep_at else c) for i, s, c in best]
        return sorted(checked, key=lambda item: (-item[2], self._restates(item[0]), -item[1]))

    def _presentable(self, sources: list[Source]) -> list[Source]:
        """The sources quoted by a whole sentence (`_quotable`), in order; all of them when none is."""
        whole = [s for s in sources if self._quotable(s)]
        return whole or sources

    def _quotable(self, source: Source) -> bool:
        """Whether the source's quote is a whole sentence of the body's: not a fragment ("a Digital Safety Passport
        for all workers;", an item of a list whose lead-in is elsewhere), boilerplate, or a lead-in alone."""
        return self._roles.read(source.quote, source.body).role not in (*NEVER_QUOTED, Role.LEAD_IN)

    def _restates(self, position: int) -> bool:
        """The passage is a document's opening text (before its first heading) or a summary or appendix part."""
        chunk = self.ctx.chunks[position]
        return not chunk.section and (not chunk.path or restates(chunk.path[0]))

    def _which_bodies(self, query: Query, weights: dict[str, float], top_k: int,
                      filters: Filters) -> Composed:
        language, catalog = query.language, self.ctx.catalog
        read, known = self.ctx.concepts, self.ctx.coverage.idf.__contains__
        chinese = query.read_language != Language.EN
        if chinese and (read.missing_quoted(query.question) or read.missing_compounds(query.question, known)):
            # a name the question quotes (“一签多行”) or a compound jieba cuts (四天工作周) that no passage has: no
            # body proposes it, whatever else matches; nor can an English passage be shown to, with no English
            # wording known for it (a word jieba knows, missing in Chinese text, may be worded otherwise: below)
            return self._abstain(query, self.ctx.search(query, top_k, filters), lead=self._lead(language, "none_body"))
        kept: dict[str, list[tuple[int, float, float]]] = {}
        # Bodies the filters leave in play; a body filtered out is neither asked nor reported "not found".
        in_play = [code for code in catalog.body_codes()
                   if any(filters.admits(c) for c in self.ctx.chunks if c.body == code)]
        # A Chinese topic word no passage has (港元 in 聯繫匯率) is evidence no body proposes it; most words of an
        # English question never occur in Chinese passages, so there unknown words count for nothing.
        # With no concept at all (an English question no glossary phrase matches), token coverage decides.
        concepts = self.ctx.concepts.concepts(query.question, drop_unknown=query.read_language == "en") or None
        bests = {code: self._best_per_body(query, weights, code, filters, concepts=concepts) for code in in_play}
        if chinese and read.missing_nouns(query.question, known):
            # a thing asked about that no passage names (夜市 of 「在海濱做夜市」): a Chinese passage about the rest
            # (海濱) does not propose it; an English one may word it in English, which its coverage judges
            bests = {code: [b for b in best if not read.reads_chinese[b[0]]] for code, best in bests.items()}
        top = max((b[0][2] for b in bests.values() if b), default=0.0)
        keep_at, keep_relative = self.judge.body_keep_at, self.judge.body_keep_relative
        bests = {code: self._in_own_voice(best, code, concepts) for code, best in bests.items()}
        for code, best in bests.items():
            if best and best[0][2] >= keep_at and best[0][2] >= keep_relative * top:
                # one passage per document the body proposes it in, best first
                per_doc: dict[str, tuple[int, float, float]] = {}
                # the body's own section before a summary or an appendix that restates it, when both propose it
                for item in sorted(best, key=lambda item: item[2] < keep_at or self._restates(item[0])):
                    doc = self.ctx.chunks[item[0]].doc_id
                    if item[2] >= keep_at and doc not in per_doc:
                        per_doc[doc] = item
                kept[code] = list(per_doc.values())[:3]
        if not kept:
            return self._abstain(query, self.ctx.search(query, top_k, filters), lead=self._lead(language, "none_body"))
        order = sorted(kept, key=lambda code: -max(c for _, _, c in kept[code]))
        ranked = self._then_global([ScoredChunk(i, s) for code in order for i, s, _ in kept[code]], query, top_k,
                                   filters)
        sources = self._sources(ranked, query, proposals_first=True)
        by_chunk = {s.chunk_id: s for s in sources}
        short = [body_short(c, catalog, language) for c in order]
        names = (" and ".join([", ".join(short[:-1]), short[-1]]) if len(short) > 1 else short[0]) if language == "en" \
            else "、".join(short)
        lines = [self._lead(language, "bodies", n=len(order), total=len(in_play), names=names)]
        for code in order:
            own = self._presentable([by_chunk[self.ctx.chunks[i].chunk_id] for i, _, _ in kept[code]])
            years = sorted({s.year for s in own})
            header = f"**{body_label(code, catalog, language)}**"
            if len({s.doc_id for s in own}) > 1:
                joined = " and ".join(map(str, years)) if language == "en" else "及".join(map(str, years))
                header += (" — " if language == "en" else "——") + _t(language, "both_docs").format(years=joined)
            lines.append("")
            lines.append(header)
            lines += [_bullet(s, language, catalog, with_body=False) for s in own]
        missing = [c for c in in_play if c not in kept]
        if missing:
            separator = ", " if language == "en" else "、"
            lines += ["", _t(language, "not_found").format(
                names=separator.join(body_label(c, catalog, language) for c in missing))]
        return Composed("\n".join(lines), sources, order)

    def _then_global(self, cited: list[ScoredChunk], query: Query, top_k: int,
                     filters: Filters) -> list[ScoredChunk]:
        """The cited passages first, then the overall ranking's others, up to top_k (uncited, for reading on)."""
        seen = {i for i, _ in cited}
        rest = [hit for hit in self.ctx.search(query, top_k, filters) if hit.position not in seen]
        return cited + rest[: max(0, top_k - len(cited))]

    def _compare(self, query: Query, intent: QuestionIntent, weights: dict[str, float],
                 filters: Filters, top_k: int) -> Composed:
        language, catalog = query.language, self.ctx.catalog
        if len(intent.bodies) >= 2:
            sides = [(code, None) for code in intent.bodies]
        else:
            sides = [(intent.bodies[0], [year]) for year in sorted(set(intent.years))]
        found: list[tuple[tuple[str, list[int] | None], list[tuple[int, float, float]]]] = []
        # An English question is judged by its concepts, as "which bodies" is: they read each side's passages in
        # their own language (its Chinese expansions are no words an English passage lacks). A Chinese one keeps
        # token coverage: its concepts include the aspects compared (兩者的發放對象和金額), which no side's
        # passage names as such.
        # A side whose submission is English only is read by concepts too: Chinese tokens are in none of its words.
        concepts = self.ctx.concepts.concepts(query.question, drop_unknown=True) or None
        for code, years in sides:
            english_only = not any(self.ctx.concepts.reads_chinese[i] for i, chunk in enumerate(self.ctx.chunks)
                                   if chunk.body == code)
            read_by = concepts if query.read_language == "en" or english_only else None
            best = [item for item in self._best_per_body(query, weights, code, filters, years, concepts=read_by)
                    if item[2] >= self.judge.cite_at]
            found.append(((code, years), best[:self.judge.per_body]))
        ranked = [ScoredChunk(i, s) for _, best in found for i, s, _ in best]
        if not ranked:
            return self._abstain(query, self.ctx.search(query, top_k, filters))
        ranked = self._then_global(ranked, query, top_k, filters)
        sources = self._sources(ranked, query, proposals_first=True)
        by_chunk = {s.chunk_id: s for s in sources}
        lines, addressing = [], []
        for (code, years), best in found:
            header = f"**{body_label(code, catalog, language)}**" + (f" ({years[0]})" if years else "")
            if not best:
                lines += [f"{header}: {_t(language, 'not_addressed')}", ""]
                continue
            addressing.append(code)
            lines.append(header)
            lines += [_bullet(by_chunk[self.ctx.chunks[i].chunk_id], language, catalog, with_body=False)
                      for i, _, _ in best]
            lines.append("")
        return Composed("\n".join(lines).strip(), sources, list(dict.fromkeys(addressing)))
