"""The lexicon: word lists and cue patterns per language as data, validated at load, hashed into the index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.corpus.catalog import load_catalog
from rag.corpus.lexicon import Lexicon, LexiconError
from rag.index.build import build_index, is_stale, load_index
from rag.text.tokenize import Tokenizer

# The smallest complete lexicon: every key the code uses, spread over two language files.
EN = """
[words]
framing = "propose which bodies"
question_words = ["what how", "does"]

[cues]
asks_proposals = '(?i)\\bpropos\\w*'
asks_quantity = '(?i)\\bhow many\\b'
asks_money = '(?i)\\bhow much money\\b'
asks_share = '(?i)\\bwhat share\\b'
asks_duration = '(?i)\\bhow long\\b'
asks_time = '(?i)^when\\b'
asks_people = '(?i)\\bhow many people\\b'
asks_weight = '(?i)\\bhow heavy\\b'
asks_age = '(?i)\\bhow old\\b'
asks_payment = '(?i)(?P<fee>\\bfees?\\b)'
names_payment = '(?i)(?P<fee>\\bfees?\\b)'
asks_rate = '(?i)(?P<year>\\ba year\\b)'
names_rate = '(?i)(?P<year>\\ba year\\b)'
proposes = '(?i)\\bshould\\b'
asks_which_bodies = '(?i)\\bwhich bodies\\b'
asks_mentions = '(?i)\\bmentions?\\b'
compare = '(?i)\\bdiffer\\b'
examples = '(?i)\\bfor example\\b'
organisation = '\\b((?:[A-Z]\\w+\\s+)+Party)\\b'
name_lead = '(?i)^(the\\s+)+'
asker = '\\b([A-Z]{3,})\\s+proposes\\b'
followup_spaced = '(?i)^what about\\b'
followup_lead = '(?i)^what about\\s+'
boilerplate = '(?i)^sources?:'
elsewhere = '(?i)^in (?P<place>singapore)'
reports_view = '^(?P<who>[A-Z]\\w+) (?P<verb>suggested)'
self_reference = '(?i)^we$'
announces = '(?i)the following'
welcomes = '(?i)^we welcome the government'
declines = '(?i)we make no proposal'
"""
ZH = """
[words]
framing = "哪些 團體"
question_words = "发展 what"

[pos_weights]
v = 0.5
d = 0

[cues]
asks_proposals = '建議|建议'
proposes = '建議|应'
asks_who = '哪些'
proposal_verb = '建议'
compare = '不同'
examples = '例如'
not_a_name = '^(哪|本)'
followup_unspaced = '呢$'
followup_tail = '呢?[？?]$'
followup_pronoun = '^(?P<who>佢哋)'

[readings]
"點解" = "為什麼"
"請問" = ""
"""


def write(folder: Path, en: str = EN, zh: str = ZH) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en.toml").write_text(en, encoding="utf-8")
    (folder / "zh.toml").write_text(zh, encoding="utf-8")
    return folder


def test_shipped_lexicon_loads_and_reads_both_languages(corpus_dir: Path) -> None:
    lexicon = Lexicon.load(corpus_dir / "lexicon")
    assert "建議" in lexicon.framing and "propose" in lexicon.framing
    assert lexicon.compare.search("有何不同") and lexicon.compare.search("how do they differ")
    assert [m.group(1) for m in lexicon.organisation.finditer("Does the Liberal Party or 自由黨 agree?")] == [
        "Liberal Party", "自由黨"]
    assert lexicon.pos_weights["v"] == 0.5 and len(lexicon.digest) == 16


def test_word_lists_are_the_union_and_cues_match_any_file(tmp_path: Path) -> None:
    lexicon = Lexicon.load(write(tmp_path / "lexicon"))
    assert lexicon.framing == ("propose", "which", "bodies", "哪些", "團體")
    assert lexicon.question_words == ("what", "how", "does", "发展")  # a word listed twice counts once
    assert lexicon.compare.search("有何不同") and lexicon.compare.search("How do they differ?")
    assert not lexicon.compare.search("相同")
    assert lexicon.followup_lead.sub("", "What about BPA?") == "BPA?"
    assert dict(lexicon.pos_weights) == {"v": 0.5, "d": 0.0}
    with pytest.raises(TypeError):
        lexicon.pos_weights["v"] = 1.0  # type: ignore[index]
    assert dict(lexicon.readings) == {"點解": "為什麼", "請問": ""}  # "" drops a word that names nothing


def test_a_word_read_two_ways_is_refused(tmp_path: Path) -> None:
    folder = write(tmp_path / "lexicon", en=EN + '\n[readings]\n"點解" = "怎樣"\n')
    with pytest.raises(LexiconError, match=r"zh\.toml: readings\.點解 is '為什麼' here and '怎樣'"):
        Lexicon.load(folder)


def test_bad_regex_names_the_file_and_the_key(tmp_path: Path) -> None:
    folder = write(tmp_path / "lexicon", zh=ZH.replace("compare = '不同'", "compare = '(不同'"))
    with pytest.raises(LexiconError, match=r"zh\.toml: cues\.compare is not a valid regular expression"):
        Lexicon.load(folder)


def test_missing_folder_or_files_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=f"No lexicon files .* in {tmp_path / 'nowhere'}"):
        Lexicon.load(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match="No lexicon files"):
        Lexicon.load(tmp_path / "empty")


def test_a_key_no_file_defines_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path / "lexicon", zh=ZH.replace("not_a_name = '^(哪|本)'\n", ""))
    with pytest.raises(LexiconError, match="defines no not_a_name"):
        Lexicon.load(folder)


@pytest.mark.parametrize("old, new, message", [
    ("compare = '不同'", "compare = '不同'\ncompair = 'x'", r"zh\.toml: unknown cue 'compair'"),
    ('framing = "哪些 團體"', "framing = 3", r"zh\.toml: words\.framing must be a string of words"),
    ("v = 0.5", "v = 2", r"zh\.toml: pos_weights\.v must be a number between 0 and 1"),
    ("[cues]", "[cues", r"zh\.toml is not valid UTF-8 TOML"),
    ("[pos_weights]", "[stopwords]", r"zh\.toml has unknown table\(s\) stopwords"),
    ('"請問" = ""', '"請問" = 1', r"zh\.toml: readings\.請問 must map a word to a string"),
])
def test_invalid_file_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = write(tmp_path / "lexicon", zh=ZH.replace(old, new))
    with pytest.raises(LexiconError, match=message):
        Lexicon.load(folder)


def test_digest_changes_with_any_file(tmp_path: Path) -> None:
    folder = write(tmp_path / "lexicon")
    before = Lexicon.load(folder).digest
    assert Lexicon.load(write(tmp_path / "copy")).digest == before  # same files, same digest, wherever they are
    (folder / "zh.toml").write_text(ZH.replace("哪些 團體", "哪些 團體 機構"), encoding="utf-8")
    assert Lexicon.load(folder).digest != before


TEXT = "關於食品產業\n1. 食品產業園\n本會建議設立食品產業園，支援本地食品生產，並推動食品業升級轉型。\n"
CATALOG = """
[bodies.CMA]
name_zh = "香港中華廠商聯合會"
name_en = "Chinese Manufacturers' Association of Hong Kong"

[[documents]]
id = "doc"
file = "doc.txt"
body = "CMA"
title_zh = "關於食品產業"
title_en = "On the food industry"
year = 2024
date = "2024"
kind = "policy_address_submission"
"""


def test_a_changed_lexicon_makes_the_index_stale(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (corpus / "doc.txt").write_text(TEXT, encoding="utf-8")
    lexicon_dir = write(corpus / "lexicon")
    catalog, tokenizer = load_catalog(corpus), Tokenizer()
    settings = {"chunk_max_chars": 700, "chunk_min_chars": 120}
    lexicon = Lexicon.load(lexicon_dir)
    build_index(tmp_path / "index", catalog, tokenizer, settings, lexicon=lexicon)
    index = load_index(tmp_path / "index", tokenizer)
    assert index.manifest["lexicon"] == lexicon.digest
    assert is_stale(index, catalog, tokenizer, settings, lexicon=lexicon) is None
    shutil.copy(lexicon_dir / "en.toml", lexicon_dir / "fr.toml")  # a language added
    assert "lexicon" in is_stale(index, catalog, tokenizer, settings, lexicon=Lexicon.load(lexicon_dir))


def test_new_parsing_code_makes_the_index_stale(tmp_path: Path, monkeypatch) -> None:
    from rag.index import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (corpus / "doc.txt").write_text(TEXT, encoding="utf-8")
    catalog, tokenizer = load_catalog(corpus), Tokenizer()
    settings = {"chunk_max_chars": 700, "chunk_min_chars": 120}
    lexicon = Lexicon.load(write(corpus / "lexicon"))
    build_index(tmp_path / "index", catalog, tokenizer, settings, lexicon=lexicon)
    index = load_index(tmp_path / "index", tokenizer)
    assert is_stale(index, catalog, tokenizer, settings, lexicon=lexicon) is None
    monkeypatch.setattr(build, "indexing_code_digest", lambda: "another-version")
    assert "parser changed" in is_stale(index, catalog, tokenizer, settings, lexicon=lexicon)


def test_a_corpus_lexicon_adds_to_the_shipped_one_so_an_older_copy_lacks_no_key(tmp_path, corpus_dir) -> None:
    own = tmp_path / "lexicon"
    own.mkdir()
    (own / "extra.toml").write_text('[words]\nframing = "tariff"\n', encoding="utf-8")
    lexicon = Lexicon.load(own, base=corpus_dir / "lexicon")
    assert "tariff" in lexicon.framing and "propose" in lexicon.framing
    assert lexicon.boilerplate.search("資料來源：x".replace("資料來源", "资料来源"))


def test_a_part_is_written_once_and_used_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "en.toml").write_text(EN.replace("self_reference = '(?i)^we$'", "self_reference = '^<<us>>$'"),
                                    encoding="utf-8")
    (folder / "zh.toml").write_text(ZH + "\n[parts]\nus = '本會|我們'\n", encoding="utf-8")
    lexicon = Lexicon.load(folder)
    assert lexicon.self_reference.search("我們") and not lexicon.self_reference.search("我們的會員")


def test_an_unknown_part_is_named_in_the_error(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "en.toml").write_text(EN.replace("self_reference = '(?i)^we$'", "self_reference = '^<<us>>$'"),
                                    encoding="utf-8")
    (folder / "zh.toml").write_text(ZH, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"cues.self_reference uses <<us>>, which no \[parts\] defines"):
        Lexicon.load(folder)
