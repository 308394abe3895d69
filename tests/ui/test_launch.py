"""Launch checks: loopback by default, a login required anywhere else, flags and RAG_UI_* variables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.launch import DEFAULT_HOST, DEFAULT_PORT, LaunchRefused, is_loopback, launch_config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_bind_loopback_port_7860_without_login() -> None:
    config = launch_config(None, None, {})
    assert (config.host, config.port, config.auth) == (DEFAULT_HOST, DEFAULT_PORT, None) == ("127.0.0.1", 7860, None)


def test_flags_win_over_environment() -> None:
    config = launch_config("127.0.0.2", 9000, {"RAG_UI_HOST": "127.0.0.3", "RAG_UI_PORT": "8000"})
    assert (config.host, config.port) == ("127.0.0.2", 9000)


def test_open_host_without_login_is_refused() -> None:
    with pytest.raises(LaunchRefused, match="without a login.*RAG_UI_USER and RAG_UI_PASSWORD"):
        launch_config(None, None, {"RAG_UI_HOST": "0.0.0.0"})


def test_open_host_with_login_is_allowed() -> None:
    config = launch_config("0.0.0.0", None, {"RAG_UI_USER": "member", "RAG_UI_PASSWORD": "s3cret"})
    assert config.auth == ("member", "s3cret")


def test_half_a_login_is_refused() -> None:
    with pytest.raises(LaunchRefused, match="both"):
        launch_config(None, None, {"RAG_UI_USER": "member"})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_refusal_is_one_line_on_stderr_with_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui", "--host", "0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
    )
    assert done.returncode == 2
    assert done.stderr.startswith("rag ui: Refusing to serve on 0.0.0.0 without a login")


@pytest.mark.corpus
def test_with_a_login_set_nothing_is_served_before_signing_in(tmp_path: Path) -> None:
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    from tests.ui.apprunner import running_app

    with running_app(tmp_path, env={"RAG_UI_USER": "member", "RAG_UI_PASSWORD": "s3cret"}) as url:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "config", timeout=10)
        assert refused.value.code == 401
        login = urllib.parse.urlencode({"username": "member", "password": "s3cret"}).encode()
        with urllib.request.urlopen(url + "login", data=login, timeout=10) as response:
            assert json.loads(response.read()) == {"success": True}


def test_answers_at_once_follow_the_cores_unless_they_wait_on_an_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from rag.config import Settings
    from ui import app

    monkeypatch.setattr(app, "available_cores", lambda: 2)
    settings = Settings.from_env()
    assert app.answer_concurrency(settings) == 4
    waiting = replace(settings, llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    assert app.answer_concurrency(waiting) == app.WAITING_ANSWER_CONCURRENCY > 4
