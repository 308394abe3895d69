"""PNG charts for reports (matplotlib, Agg backend): metrics by language and mode, project vs baselines.

Chinese labels are used only when a CJK font is installed (e.g. fonts-noto-cjk); otherwise English only,
so a missing glyph never turns into boxes or a crash.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

_CJK_HINTS = (
    "CJK",
    "Source Han",
    "WenQuanYi",
    "Droid Sans Fallback",
    "AR PL",
    "Noto Sans SC",
    "Noto Sans TC",
)
LANG_LABELS_EN = {"en": "English", "zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese"}
LANG_LABELS_ZH = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}


def cjk_font() -> str | None:
    """Name of an installed font that covers CJK, or None."""
    for font in font_manager.fontManager.ttflist:
        if any(hint.lower() in font.name.lower() for hint in _CJK_HINTS):
            return font.name
    return None


def lang_label(lang: str, font: str | None) -> str:
    return (LANG_LABELS_ZH if font else LANG_LABELS_EN).get(lang, lang)


def _bars(ax: Any, groups: list[str], series: dict[str, list[float]], title: str) -> None:
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, values, width, label=name)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)


def plot_by_language(systems: dict[str, Any], path: Path, k: int) -> None:
    """Hit@k and MRR@10 per question language, one bar per system."""
    font = cjk_font()
    ran = {s["label"]: s for s in systems.values() if s.get("overall")}
    langs = list(next(iter(ran.values()))["by_lang"]) if ran else []
    with _style(font):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
        for ax, key, title in ((axes[0], f"hit@{k}", f"Hit@{k}"), (axes[1], "mrr@10", "MRR@10")):
            series = {label: [s["by_lang"][lang][key] or 0.0 for lang in langs] for label, s in ran.items()}
            _bars(ax, [lang_label(lang, font) for lang in langs], series, f"{title} by question language")
        _save(fig, path, axes[0])


def plot_vs_baselines(systems: dict[str, Any], path: Path, k: int) -> None:
    """The headline retrieval metrics, project modes next to the baselines."""
    keys = ["hit@1", f"hit@{k}", f"recall@{k}", "mrr@10", "ndcg@10"]
    titles = ["Hit@1", f"Hit@{k}", f"Recall@{k}", "MRR@10", "nDCG@10"]
    ran = {s["label"]: s for s in systems.values() if s.get("overall")}
    with _style(None):
        fig, ax = plt.subplots(figsize=(11, 4.2))
        series = {label: [s["overall"][key] or 0.0 for key in keys] for label, s in ran.items()}
        _bars(ax, titles, series, "Project vs baselines (answerable questions)")
        _save(fig, path, ax)


@contextmanager
def _style(font: str | None) -> Iterator[None]:
    """rcParams and warning filters for one chart; a CJK font goes first when there is one."""
    rc = {"font.sans-serif": [font, "DejaVu Sans"]} if font else {}
    with plt.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing")
        yield


def _save(fig: Any, path: Path, ax: Any) -> None:
    """One legend below the plots, so it never hides a bar."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
