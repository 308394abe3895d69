"""Starting the app as a user would (`python -m ui`, what `rag ui` runs) on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(work: Path, env: dict[str, str] | None = None, log_copy: Path | None = None) -> Iterator[str]:
    """The app over a copy of the corpus in `work`, with an index there too; yields its URL once it answers."""
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    port = free_port()
    log_path = work / "app.log"
    environment = {**os.environ, "RAG_UI_HOST": "", "RAG_UI_USER": "", "RAG_UI_PASSWORD": "", **(env or {})}
    command = [sys.executable, "-m", "ui", "--port", str(port), "--corpus", str(corpus), "--index", str(work / "index")]
    with log_path.open("w") as log:
        app = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(url):
            if app.poll() is not None:
                pytest.fail(f"the app exited with {app.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer on {url} within {START_TIMEOUT_S} s:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
        if log_copy is not None:
            log_copy.parent.mkdir(exist_ok=True)
            shutil.copy(log_path, log_copy)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
