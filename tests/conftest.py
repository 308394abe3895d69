from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def lexicon():
    """The shipped word lists and cues (corpus/lexicon)."""
    from rag.corpus.lexicon import Lexicon

    return Lexicon.load(CORPUS / "lexicon")


@pytest.fixture(scope="session")
def shared_pipeline(tmp_path_factory):
    """One pipeline over the shipped corpus as a user gets it (hybrid with the bundled model), its index in a
    temporary folder (passage vectors come from the shared embedding cache)."""
    from rag.config import Settings
    from rag.pipeline import Pipeline

    return Pipeline(Settings(index_dir=tmp_path_factory.mktemp("index"), top_k=10))


@pytest.fixture(autouse=True)
def _embedded_corpus_first(request) -> None:
    """Acceptance tests (marker `corpus`) start after the shared pipeline is built: that fills the passage-vector
    cache (.cache/embeddings) once, so the commands and apps that tests start reuse it instead of embedding
    the corpus again under their own time limits."""
    if request.node.get_closest_marker("corpus"):
        request.getfixturevalue("shared_pipeline")


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A copy of the corpus with two documents, safe to modify."""
    target = tmp_path / "corpus"
    target.mkdir()
    shutil.copytree(CORPUS / "lexicon", target / "lexicon")
    for name in (
        "000_f19342d821a7e080.txt",
        "002_c6cbd0b05b50272d.txt",
        "glossary.tsv",
        "userdict.txt",
        "stopwords.txt",
    ):
        if (CORPUS / name).exists():
            shutil.copy(CORPUS / name, target / name)
    catalog = (CORPUS / "catalog.toml").read_text(encoding="utf-8")
    head, *entries = catalog.split("[[documents]]")
    keep = [e for e in entries if "000_f19342d821a7e080" in e or "002_c6cbd0b05b50272d" in e]
    (target / "catalog.toml").write_text(head + "".join("[[documents]]" + e for e in keep), encoding="utf-8")
    return target
