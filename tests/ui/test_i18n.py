"""The interface language table: complete in every language, Simplified made by OpenCC, browser codes read."""

from __future__ import annotations

import pytest

from ui import i18n


def test_every_text_exists_in_all_three_languages_and_fills_its_fields():
    for key, entry in i18n.TEXTS.items():
        assert entry["zh-Hant"] and entry["en"], key
        for code in ("zh-Hant", "zh-Hans", "en"):
            assert i18n.t(key, code)


def test_simplified_text_is_converted_from_traditional_unless_given():
    assert i18n.t("chat.new", "zh-Hans") == "新对话"
    assert i18n.t("chat.new", "zh-Hant") == "新對話"


def test_unknown_language_falls_back_to_traditional_chinese():
    assert i18n.t("chat.ask", None) == i18n.t("chat.ask", "fr") == "提問"


@pytest.mark.parametrize(("browser", "code"), [
    ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant-HK", "zh-Hant"), ("zh-CN", "zh-Hans"),
    ("zh-Hans", "zh-Hans"), ("en-GB", "en"), ("en", "en"), ("fr-FR", "zh-Hant"), ("", "zh-Hant"),
])
def test_browser_language_codes_are_read(browser, code):
    assert i18n.language_of(browser) == code


def test_register_refuses_a_duplicate_or_half_translated_text():
    with pytest.raises(ValueError, match="twice"):
        i18n.register({"chat.ask": {"zh-Hant": "問", "en": "Ask"}})
    with pytest.raises(ValueError, match="both"):
        i18n.register({"test.only_english": {"en": "Only English"}})


def test_labels_merge_several_texts_of_one_component_into_one_update():
    box, button = object(), object()
    labels = i18n.Labels()
    labels.add(box, "chat.label")
    labels.add(box, "chat.placeholder", "placeholder")
    labels.add(button, "chat.ask", "value")
    assert labels.components == [box, button]
    first, second = labels.updates("en")
    assert first["label"] == "Conversation" and first["placeholder"] == "Type a question"
    assert second["value"] == "Ask"


def test_labels_give_a_radios_choices_in_the_language():
    radio = object()
    labels = i18n.Labels()
    labels.add_choices(radio, [("export.conversation", "conversation"), ("export.answer", "answer")])
    (update,) = labels.updates("zh-Hans")
    assert update["choices"] == [("整个对话", "conversation"), ("所选的答案", "answer")]


def test_simplified_wording_is_given_where_character_conversion_is_not_enough():
    assert i18n.t("language.label", "zh-Hans") == "界面语言"
    assert i18n.t("export", "zh-Hans") == "导出"


def test_css_labels_follow_the_page_language():
    css = i18n.css_texts(".copy-answer", "answer.copy")
    assert 'html[data-hkpqa-lang="en"] .copy-answer::after { content: "Copy answer"; }' in css
    assert 'html[data-hkpqa-lang="zh-Hans"] .copy-answer::after { content: "复制答案"; }' in css
