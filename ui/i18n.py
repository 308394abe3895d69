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
    "language.label": {"zh-Hant": "介面語言", "zh-Hans": "界面语言", "en": "Interface language"},
    "filters": {"zh-Hant": "篩選", "en": "Filters"},
    "filters.bodies": {"zh-Hant": "機構", "en": "Bodies"},
    "filters.years": {"zh-Hant": "年份", "en": "Years"},
    "filters.documents": {"zh-Hant": "文件", "en": "Documents"},
    "chat.label": {"zh-Hant": "對話", "en": "Conversation"},
    "chat.placeholder": {"zh-Hant": "輸入問題", "en": "Type a question"},
    "chat.question": {"zh-Hant": "問題", "en": "Question"},
    "chat.ask": {"zh-Hant": "提問", "en": "Ask"},
    "chat.new": {"zh-Hant": "新對話", "en": "New conversation"},
    "chat.examples": {"zh-Hant": "例子", "en": "Examples"},
    "chat.empty_question": {
        "zh-Hant": "問題是空的：請輸入問題，例如「哪些機構建議設立食品產業園？」",
        "en": 'The question is empty: type a question, e.g. "Which bodies propose a food industrial park?"',
    },
    "chat.failed": {
        "zh-Hant": "回答時出錯，詳情見伺服器日誌。請再試一次。",
        "zh-Hans": "回答时出错，详情见服务器日志。请再试一次。",
        "en": "Something went wrong while answering; the server log has the details. Please try again.",
    },
    "answer.copy": {"zh-Hant": "複製答案", "en": "Copy answer"},
    "answer.copied": {"zh-Hant": "已複製", "en": "Copied"},
    "chat.turn": {"zh-Hant": "顯示哪個答案的來源", "en": "Sources of answer"},
    "export": {"zh-Hant": "匯出", "zh-Hans": "导出", "en": "Export"},
    "export.what": {"zh-Hant": "匯出範圍", "zh-Hans": "导出范围", "en": "What"},
    "export.conversation": {"zh-Hant": "整個對話", "en": "Whole conversation"},
    "export.answer": {"zh-Hant": "所選的答案", "en": "Selected answer"},
    "export.markdown": {"zh-Hant": "Markdown 文字檔", "zh-Hans": "Markdown 文本文件", "en": "Markdown"},
    "export.docx": {"zh-Hant": "Word 文件（DOCX）", "en": "Word (DOCX)"},
    "export.file": {"zh-Hant": "匯出的檔案", "zh-Hans": "导出的文件", "en": "Exported file"},
    "add": {"zh-Hant": "新增文件", "en": "Add a document"},
    "add.file": {"zh-Hant": "檔案（.txt、.pdf、.docx）", "zh-Hans": "文件（.txt、.pdf、.docx）",
                 "en": "File (.txt, .pdf, .docx)"},
    "add.body": {"zh-Hant": "機構", "en": "Body"},
    "add.year": {"zh-Hant": "年份", "en": "Year"},
    "add.title_zh": {"zh-Hant": "標題（中文）", "en": "Title (Chinese)"},
    "add.title_en": {"zh-Hant": "標題（英文）", "en": "Title (English)"},
    "add.code": {"zh-Hant": "代號（例如 HKGCC）", "en": "Code (e.g. HKGCC)"},
    "add.name_zh": {"zh-Hant": "全名（中文）", "en": "Name (Chinese)"},
    "add.name_en": {"zh-Hant": "全名（英文）", "en": "Name (English)"},
    "add.short_zh": {"zh-Hant": "簡稱（中文，以逗號分隔）", "en": "Short names (Chinese, comma-separated)"},
    "add.short_en": {"zh-Hant": "簡稱（英文，以逗號分隔）", "en": "Short names (English, comma-separated)"},
    "add.button": {"zh-Hant": "加入並更新索引", "en": "Add and reindex"},
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


# The page's first language: the stored choice, else the browser's first Chinese or English language; it also
# sets the page's <html lang>.
BROWSER_LANGUAGE_JS = """
(stored) => {
  const pick = () => {
    if (stored) return stored;
    const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (const raw of langs) {
      const l = (raw || '').toLowerCase();
      if (l.startsWith('zh')) return /hans|-cn|-sg/.test(l) ? 'zh-Hans' : 'zh-Hant';
      if (l.startsWith('en')) return 'en';
    }
    return 'zh-Hant';
  };
  const code = pick();
  if (window.hkpqaSetLanguage) window.hkpqaSetLanguage(code);  // see SET_PAGE_LANGUAGE_JS
  return code;
}
"""


@dataclass
class Labels:
    """Which component shows which text: `add` while building the page, `updates` when the language changes.

    `attribute` is the constructor argument the text goes to: "label", "value" (buttons, Markdown), "placeholder",
    "info"; `render` turns the text into the shown value when it is not plain (e.g. Markdown with a heading).
    `add_choices` names a radio's or dropdown's choices, one text per value.
    """

    entries: list[tuple[Any, str, str, Callable[[str], str] | None]] = field(default_factory=list)
    choices: list[tuple[Any, list[tuple[str, Any]]]] = field(default_factory=list)

    def add(self, component: Any, key: str, attribute: str = "label",
            render: Callable[[str], str] | None = None) -> Any:
        self.entries.append((component, key, attribute, render))
        return component

    def add_choices(self, component: Any, keyed: list[tuple[str, Any]]) -> Any:
        """The component's choices as (text key, value) pairs, shown in the page's language."""
        self.choices.append((component, keyed))
        return component

    @property
    def components(self) -> list[Any]:
        """Each labelled component once, in the order first added."""
        everything = [c for c, _, _, _ in self.entries] + [c for c, _ in self.choices]
        return list({id(c): c for c in everything}.values())

    def updates(self, language: str | None) -> list[dict[str, Any]]:
        """One update per component, in `components` order, with each of its texts in `language`."""
        language = language_of(language)
        changes: dict[int, dict[str, Any]] = {}
        for component, key, attribute, render in self.entries:
            text = t(key, language)
            changes.setdefault(id(component), {})[attribute] = render(text) if render else text
        for component, keyed in self.choices:
            changes.setdefault(id(component), {})["choices"] = choices(keyed, language)
        return [gr.update(**changes[id(component)]) for component in self.components]


def choices(keyed: list[tuple[str, Any]], language: str | None = None) -> list[tuple[str, Any]]:
    """(text, value) choices from (text key, value) pairs."""
    return [(t(key, language), value) for key, value in keyed]


def css_texts(selector: str, key: str) -> str:
    """CSS that draws text `key` after `selector` in the page's language (<html data-hkpqa-lang>, which the
    picker sets), for text kept inside stored HTML (a chat message) that must follow a later language switch."""
    # No rule without the attribute: Gradio adds a copy of each rule scoped to its container, and that copy of a
    # default would outrank the language's own rule. The page's script sets the attribute before anything shows.
    return "\n".join(f'html[data-hkpqa-lang="{code}"] {selector}::after {{ content: "{_css_string(t(key, code))}"; }}'
                     for _, code in CHOICES)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# Run in the browser when the language changes (window.hkpqaSetLanguage is in ui.assets.HEAD): the page's
# <html data-hkpqa-lang> (`css_texts` labels follow it) and Gradio's own texts (upload box, footer) through its
# locale (GRADIO_LOCALES), which Gradio also writes to <html lang> (fonts pick Traditional or Simplified glyphs).
SET_PAGE_LANGUAGE_JS = "(code) => { if (window.hkpqaSetLanguage) window.hkpqaSetLanguage(code); return code; }"
# Gradio's translations of its own texts by our language code (it has zh-TW and zh-CN, and reads zh-HK as English).
GRADIO_LOCALES = {Language.ZH_HANT.value: "zh-TW", Language.ZH_HANS.value: "zh-CN", Language.EN.value: "en"}
