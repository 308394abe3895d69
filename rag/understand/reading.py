"""A question as matching reads it: colloquial words as their written equivalents, addressing words left out; and
which of its words name something, once punctuation, symbols, framing and question words are set aside.

Members ask as they speak: 「點解經民聯要搞低空經濟？」 asks what 「為什麼經民聯要做低空經濟？」 asks, and
「請問各商會…」 asks every body, it names none. Which words are read how is data (corpus/lexicon, `[readings]`); the
question shown to the user stays as asked.
"""

from __future__ import annotations

from rag.corpus.lexicon import Lexicon
from rag.text.names import Names
from rag.text.numbers import without_years
from rag.text.tokenize import Tokenizer, fold, to_simplified
from rag.types import Language


class QuestionReader:
    """Reads questions with one tokenizer and lexicon: `written` for matching, `content_words` for "is anything
    asked at all", `topic_words` for "does a follow-up bring a topic of its own"."""

    def __init__(self, tokenizer: Tokenizer, lexicon: Lexicon, names: Names | None = None) -> None:
        self.tokenizer = tokenizer
        self.readings = {fold(word): reading for word, reading in lexicon.readings.items()}
        framing = [*lexicon.framing, *lexicon.question_words]
        self.framing = frozenset(tokenizer.tokenize(" ".join(framing))) | {fold(word) for word in framing}
        self.names = names

    @staticmethod
    def terms(lexicon: Lexicon) -> list[str]:
        """The words the tokenizer must keep whole for them to be read (有冇, not 有 + 冇): give them to it as user
        terms. Single characters need no help, and adding them could split real words (共同)."""
        return [word for word in lexicon.readings if len(word) > 1]

    def written(self, question: str, language: Language | None = None) -> str:
        """The question with each colloquial or addressing word, as a whole word, replaced by its reading in the
        question's script (同 as 和 in 「AI 同 再工業化」, but 同 in 共同 kept)."""
        folded = fold(question)
        if not any(word in folded for word in self.readings):  # most questions: no need to cut them into words
            return question
        simplified = language is Language.ZH_HANS
        out, at = [], 0
        for word, _ in self.tokenizer.words(question):  # offsets into the folded text, the question's length
            start, end, reading = word.start, word.end, self.readings.get(word.text)
            if reading is None and len(word.text) > 1 and not self.tokenizer.frequency(word.text):
                # a word jieba made up by gluing a colloquial character to an unknown neighbour (紅隧同西隧 → 隧同):
                # that character is read alone
                if word.text[-1] in self.readings:
                    start, reading = end - 1, self.readings[word.text[-1]]
                elif word.text[0] in self.readings:
                    end, reading = start + 1, self.readings[word.text[0]]
            if reading is None:
                continue
            out += [question[at:start], to_simplified(reading) if simplified else reading]
            at = end
        return "".join([*out, question[at:]])

    def content_words(self, question: str) -> list[str]:
        """The question's tokens that name something (bodies, years and topics alike): none when it is only
        punctuation, emoji, stopwords, framing and question words ("？？", "Which bodies?", 「請問？」)."""
        return [token for token in self.tokenizer.tokenize(question) if token not in self.framing]

    def topic_words(self, question: str) -> list[str]:
        """The content words that are neither a body's name nor a year: what a follow-up asks about when it
        brings a topic of its own (「那工總對人才呢？」), none when it only names a body or a year (「那工總呢？」)."""
        text = self.names.blank(question) if self.names is not None else question
        return self.content_words(without_years(text))
