"""Charts render with or without a CJK font; a font lacking the glyphs must not crash the report."""

from __future__ import annotations

import pytest

from eval import charts


def _systems() -> dict:
    group = {"hit@5": 0.8, "mrr@10": 0.6, "hit@1": 0.5, "recall@5": 0.7, "ndcg@10": 0.55}
    by_lang = {lang: dict(group) for lang in ("en", "zh-Hant", "zh-Hans")}
    return {
        "lexical": {"label": "lexical", "overall": group, "by_lang": by_lang},
        "dense": {"label": "dense (failed)", "overall": None, "by_lang": {}},
    }


@pytest.mark.parametrize("font", [None, "DejaVu Sans"])  # DejaVu has no CJK glyphs: labels fall back to boxes
def test_charts_render_png(tmp_path, monkeypatch, font):
    monkeypatch.setattr(charts, "cjk_font", lambda: font)
    charts.plot_by_language(_systems(), tmp_path / "lang.png", 5)
    charts.plot_vs_baselines(_systems(), tmp_path / "vs.png", 5)
    for name in ("lang.png", "vs.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_language_labels_are_english_without_a_cjk_font():
    assert charts.lang_label("zh-Hant", None) == "Traditional Chinese"
    assert charts.lang_label("zh-Hans", "Noto Sans CJK JP") == "简体中文"
