"""The interface's language: every label, message and warning of the page in 繁體, 简体 and English.

One table, `TEXTS` (feature modules add theirs with `register`), holds each text in Traditional Chinese and
English; the Simplified text is made from the Traditional one by OpenCC (the same converter matching uses),
unless the table gives one of its own. `t(key, language)` reads a text; `Labels` remembers which component
shows which text, so one event re-labels the whole page when the member switches language. The first language
is the browser's (`BROWSER_LANGUAGE_JS`) and the choice is kept in the browser; answers keep following the
question's language, whatever the interface's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import gradio as gr

from rag.text.tokenize import to_simplified
from rag.types import Language

DEFAULT = Language.ZH_HANT  # Chinese first: most members read Traditional Chinese
CHOICES = [("繁體", Language.ZH_HANT.value), ("简体", Language.ZH_HANS.value), ("English", Language.EN.value)]

# key → {"zh-Hant": …, "en": …[, "zh-Hans": … when OpenCC's character conversion is not the usual wording]}.
# Texts may hold str.format fields ({n}, {name}); `t` fills them.
TEXTS: dict[str, dict[str, str]] = {
    "app.title": {"zh-Hant": "香港商會政策建議問答", "en": "HK Policy QA"},
    "app.intro": {
        "zh-Hant": "以繁體中文、简体中文或英文提問。答案引用各商會的原文，每個 [n] 都可打開其出處。",
        "en": "Ask in English, 繁體中文 or 简体中文. Answers quote the bodies' submissions; "
        "every [n] opens its source.",
    },
    "language.label": {"zh-Hant": "介面語言", "en": "Interface language"},
    "filters": {"zh-Hant": "篩選", "en": "Filters"},
    "filters.bodies": {"zh-Hant": "機構", "en": "Bodies"},
    "filters.years": {"zh-Hant": "年份", "en": "Years"},
    "filters.documents": {"zh-Hant": "文件", "en": "Documents"},
    "chat.label": {"zh-Hant": "對話", "en": "Conversation"},
    "chat.placeholder": {"zh-Hant": "輸入問題", "en": "Type a question"},
    "chat.ask": {"zh-Hant": "提問", "en": "Ask"},
    "chat.new": {"zh-Hant": "新對話", "en": "New conversation"},
    "chat.examples": {"zh-Hant": "例子", "en": "Examples"},
    "chat.empty_question": {
        "zh-Hant": "問題是空的：請輸入問題，例如「哪些機構建議設立食品產業園？」",
        "en": 'The question is empty: type a question, e.g. "Which bodies propose a food industrial park?"',
    },
    "chat.failed": {
        "zh-Hant": "回答時出錯，詳情見伺服器日誌。請再試一次。",
        "en": "Something went wrong while answering; the server log has the details. Please try again.",
    },
}


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add a feature module's texts to the table (each module keeps its own texts beside its code)."""
    for key, entry in texts.items():
        if key in TEXTS:
            raise ValueError(f"interface text {key!r} is defined twice")
        if not entry.get("zh-Hant") or not entry.get("en"):
            raise ValueError(f"interface text {key!r} needs both a Traditional Chinese and an English text")
        TEXTS[key] = entry


def t(key: str, language: str | None = None, **fields: Any) -> str:
    """The text `key` in `language` (the default language when None or unknown), its {fields} filled in."""
    entry = TEXTS[key]
    language = language if language in _LANGUAGES else DEFAULT.value
    if language == Language.ZH_HANS.value and "zh-Hans" not in entry:
        text = _simplified(entry["zh-Hant"])
    else:
        text = entry[language]
    return text.format(**fields) if fields else text


def both(key: str, **fields: Any) -> str:
    """Traditional Chinese and English together, for text shown before any language is known."""
    return f"{t(key, Language.ZH_HANT, **fields)} · {t(key, Language.EN, **fields)}"


_LANGUAGES = {code for _, code in CHOICES}


@lru_cache(maxsize=1024)
def _simplified(text: str) -> str:
    return to_simplified(text)


def language_of(value: str | None) -> str:
    """A language code from the picker or the browser's list ("zh-TW", "zh-HK", "zh-CN", "en-GB", …)."""
    value = (value or "").strip()
    if value in _LANGUAGES:
        return value
    lowered = value.lower()
    if lowered.startswith("zh"):
        return Language.ZH_HANS.value if any(s in lowered for s in ("hans", "-cn", "-sg", "_cn")) \
            else Language.ZH_HANT.value
    if lowered.startswith("en"):
        return Language.EN.value
    return DEFAULT.value


# The page's first language: the stored choice, else the browser's first Chinese or English language.
BROWSER_LANGUAGE_JS = """
(stored) => {
  if (stored) return stored;
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
  for (const raw of langs) {
    const l = (raw || '').toLowerCase();
    if (l.startsWith('zh')) return /hans|-cn|-sg/.test(l) ? 'zh-Hans' : 'zh-Hant';
    if (l.startsWith('en')) return 'en';
  }
  return 'zh-Hant';
}
"""


@dataclass
class Labels:
    """Which component shows which text: `add` while building the page, `updates` when the language changes.

    `attribute` is the constructor argument the text goes to: "label", "value" (buttons, Markdown), "placeholder",
    "info"; `render` turns the text into the shown value when it is not plain (e.g. Markdown with a heading).
    """

    entries: list[tuple[Any, str, str, Callable[[str], str] | None]] = field(default_factory=list)

    def add(self, component: Any, key: str, attribute: str = "label",
            render: Callable[[str], str] | None = None) -> Any:
        self.entries.append((component, key, attribute, render))
        return component

    @property
    def components(self) -> list[Any]:
        """Each labelled component once, in the order first added."""
        return list({id(c): c for c, _, _, _ in self.entries}.values())

    def updates(self, language: str | None) -> list[dict[str, Any]]:
        """One update per component, in `components` order, with each of its texts in `language`."""
        language = language_of(language)
        changes: dict[int, dict[str, str]] = {}
        for component, key, attribute, render in self.entries:
            text = t(key, language)
            changes.setdefault(id(component), {})[attribute] = render(text) if render else text
        return [gr.update(**changes[id(component)]) for component in self.components]
