"""A small synthetic corpus for fast unit tests: three invented documents by two invented bodies.

The shipped corpus is for acceptance tests (`pytest.mark.corpus`); these documents are written here so a test
can say exactly which passage should answer, and which body proposes what. Only the language data (glossary,
user dictionary, stopwords, lexicon) is copied from corpus/, so tokenising behaves as in production.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import Settings
from rag.corpus.catalog import Catalog, load_catalog
from rag.corpus.glossary import Glossary
from rag.pipeline import Pipeline
from rag.text.tokenize import Tokenizer
from rag.types import Mode

SHIPPED = Path(__file__).resolve().parents[2] / "corpus"
LANGUAGE_DATA = ("glossary.tsv", "userdict.txt", "stopwords.txt")

CATALOG = """\
[bodies.TCC]
name_zh = "香港茶業總商會"
name_en = "Hong Kong Tea Chamber of Commerce"
short_zh = ["茶商會", "茶商会"]
short_en = ["TCC", "Tea Chamber"]

[bodies.HKRA]
name_zh = "香港機械人協會"
name_en = "Hong Kong Robotics Association"
short_zh = ["機械人協會", "机械人协会"]
short_en = ["HKRA", "Robotics Association"]

[[documents]]
id = "tea_2024"
file = "tea_2024.txt"
body = "TCC"
title_zh = "香港茶業總商會對2024年施政報告的建議"
title_en = "Tea Chamber proposals for the 2024 Policy Address"
year = 2024
kind = "policy_address_submission"
front_matter_lines = 1

[[documents]]
id = "tea_2025"
file = "tea_2025.txt"
body = "TCC"
title_zh = "香港茶業總商會對2025年施政報告的建議"
title_en = "Tea Chamber proposals for the 2025 Policy Address"
year = 2025
kind = "policy_address_submission"
front_matter_lines = 1

[[documents]]
id = "rob_2025"
file = "rob_2025.txt"
body = "HKRA"
title_zh = "香港機械人協會對2025年施政報告的建議"
title_en = "Robotics Association proposals for the 2025 Policy Address"
year = 2025
kind = "policy_address_submission"
front_matter_lines = 1
"""

DOCUMENTS = {
    "tea_2024.txt": """\
香港茶業總商會對2024年施政報告的建議

1. 設立茶葉檢測中心

本地茶莊多為家族經營，難以負擔送往海外化驗的費用，產品出口時經常因為缺乏認可報告而被退回。本會建議政府設立茶葉檢測中心，為本地茶葉產品提供農藥殘留化驗及品質認證，並與內地檢測機構互認結果。

2. 推廣茶文化旅遊

香港的老字號茶莊和茶樓見證了城市的發展，卻很少出現在旅遊宣傳之中。本會建議旅遊發展局推出茶文化旅遊路線，帶領旅客參觀百年茶莊，體驗沖泡功夫茶，讓傳統行業受惠於旅遊業復甦。
""",
    "tea_2025.txt": """\
香港茶業總商會對2025年施政報告的建議

1. 擴建茶葉檢測中心

去年提出的檢測中心反應熱烈，不少茶莊仍需輪候數星期才能取得報告。本會建議擴建茶葉檢測中心，增設咖啡及花草茶的化驗項目，並把每份報告的輪候時間縮短至五個工作天之內。

2. 培訓茶藝人才

茶藝師傅年紀漸長，年輕人入行的意欲偏低，技藝面臨失傳。本會建議職業訓練局開辦茶藝文憑課程，並資助茶莊聘請學徒，每名學徒每月資助3,000元，為期兩年。
""",
    "rob_2025.txt": """\
香港機械人協會對2025年施政報告的建議

1. 設立機械人產業園

本港機械人企業分散各區，研發與生產難以協作，不少初創企業因缺乏廠房而遷往外地。本會建議政府在北部都會區設立機械人產業園，集中服務機械人的研發、測試及生產，並提供租金優惠吸引企業進駐。

2. 資助中小企自動化

中小企人手短缺問題持續，但自動化設備的前期投資往往令企業卻步。本會建議設立自動化升級資助計劃，以配對形式資助中小企購置協作機械人，每家企業的資助上限為50萬元。
""",
}


@pytest.fixture(scope="session")
def synthetic_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus folder with the three invented documents, their catalog and the shipped language data."""
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    folder.mkdir()
    (folder / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name in LANGUAGE_DATA:
        shutil.copy(SHIPPED / name, folder / name)
    if (SHIPPED / "lexicon").is_dir():
        shutil.copytree(SHIPPED / "lexicon", folder / "lexicon")
    return folder


@pytest.fixture(scope="session")
def synthetic_catalog(synthetic_corpus: Path) -> Catalog:
    return load_catalog(synthetic_corpus)


@pytest.fixture(scope="session")
def synthetic_tokenizer(synthetic_corpus: Path) -> Tokenizer:
    return Tokenizer.from_corpus(synthetic_corpus)


@pytest.fixture(scope="session")
def synthetic_glossary(synthetic_corpus: Path) -> Glossary:
    return Glossary.load(synthetic_corpus / "glossary.tsv")


@pytest.fixture(scope="session")
def synthetic_pipeline(synthetic_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """A lexical pipeline over the synthetic corpus, its index in a temporary folder."""
    index_dir = tmp_path_factory.mktemp("synthetic-index")
    return Pipeline(Settings(corpus_dir=synthetic_corpus, index_dir=index_dir, mode=Mode.LEXICAL))
