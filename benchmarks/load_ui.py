"""Load test of the running chat UI: N simulated members asking at once for a fixed time, through the app's API.

Each user asks gold-set questions in turn on the chat endpoint (/chat, the same handler the page's Ask button runs).
Bounded by time and by a per-user request cap, so it always stops by itself. Prints requests, errors, latency
(p50/p95/max) and the CPU the load clients themselves used. Loopback only.

Two kinds of client: `--client http` (the default) speaks Gradio's HTTP API directly (POST /gradio_api/call/chat,
then read the event stream until "complete"), a few milliseconds of CPU per question; `--client gradio` is a
gradio_client per user, which on a 2-core machine costs more CPU than the server answering (measured: 1.2-1.4 cores
for 20 users), so its latencies include the queue the load generator itself builds on the shared cores.

    .venv/bin/rag ui &                                    # or: .venv/bin/python -m ui
    .venv/bin/python benchmarks/load_ui.py                # 20 users, 120 s, http://127.0.0.1:7860/
    .venv/bin/python benchmarks/load_ui.py --start        # starts its own app on a free port, temporary index
    .venv/bin/python benchmarks/load_ui.py --start --think 5   # each user reads for 2.5-7.5 s between questions

Without --think every user asks again the moment an answer arrives (a closed loop): latency then measures the
queue the 20 users build up on the machine's cores (the load clients run on them too), not what a member waits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS_PER_USER = 1000


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def failed(self, message: str) -> None:
        with self.lock:
            self.errors[message[:160]] += 1




from common import percentile  # noqa: E402


def questions() -> list[str]:
    """The dev split's questions (the test split stays held out, even from load tests)."""
    dev = ROOT / "eval" / "gold" / "dev.jsonl"
    lines = dev.read_text("utf-8").splitlines() if dev.is_file() else []
    found = [json.loads(line)["question"] for line in lines if line]
    return found or ["Which bodies propose a food industrial park?", "經民聯對低空經濟有甚麼建議？"]


def connect(url: str, kind: str = "http"):
    if kind == "http":
        return HttpClient(url)
    from gradio_client import Client

    auth = (os.environ["RAG_UI_USER"], os.environ["RAG_UI_PASSWORD"]) if os.environ.get("RAG_UI_USER") else None
    return Client(url, auth=auth, verbose=False, analytics_enabled=False, download_files=False)


class HttpClient:
    """Gradio's HTTP API with the standard library: one POST to queue the call, one GET to read its events.
    Every call carries the client's own session id, as a browser tab's calls do."""

    def __init__(self, url: str) -> None:
        self.base = url.rstrip("/") + "/gradio_api/call/"
        self.session = uuid.uuid4().hex
        self.headers = {"Content-Type": "application/json"}
        if os.environ.get("RAG_UI_USER"):
            raise SystemExit("load_ui: --client http does not log in; use --client gradio with RAG_UI_USER set.")

    def predict(self, *data, api_name: str):
        name = api_name.strip("/")
        body = json.dumps({"data": list(data), "session_hash": self.session}).encode()
        request = urllib.request.Request(self.base + name, data=body, headers=self.headers, method="POST")
        with urllib.request.urlopen(request, timeout=120) as response:
            event_id = json.load(response)["event_id"]
        event, payload = "", ""
        with urllib.request.urlopen(f"{self.base}{name}/{event_id}", timeout=120) as stream:
            for raw in stream:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    payload = line[6:]
                    if event in ("complete", "error"):
                        break
        if event != "complete":
            raise RuntimeError(f"{event or 'no event'}: {payload[:80]}")
        result = json.loads(payload)
        return result[0] if name == "ask" else result


def ask_once(client, question: str, endpoint: str) -> None:
    """One question as the page asks it; raises when the reply is missing or an error."""
    if endpoint == "chat":
        reply = client.predict(question, [], [], [], [], api_name="/chat")[0][-1]["content"]
        text = reply if isinstance(reply, str) else " ".join(part.get("text", "") for part in reply)
        if not text or text == "…" or "Something went wrong" in text:
            raise RuntimeError(f"bad reply: {text[:80]!r}")
    elif not client.predict(question, api_name="/ask").get("answer"):
        raise RuntimeError("empty answer")


def user(number: int, url: str, asked: list[str], deadline: float, endpoint: str, results: Results,
         think: float = 0.0, kind: str = "http") -> None:
    try:
        client = connect(url, kind)
    except Exception as exc:  # noqa: BLE001 - a user that cannot connect is an error to report
        results.failed(f"connect: {type(exc).__name__}: {exc}")
        return
    for i in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= deadline:
            return
        started = time.perf_counter()
        try:
            ask_once(client, asked[(number * 7 + i) % len(asked)], endpoint)
        except Exception as exc:  # noqa: BLE001
            results.failed(f"{type(exc).__name__}: {exc}")
            continue
        results.ok(time.perf_counter() - started)
        if think:  # reading the answer: uniform around the mean, so the users do not ask in lockstep
            time.sleep(min(random.uniform(0.5 * think, 1.5 * think), max(0.0, deadline - time.monotonic())))


def rss_mb(pid: int) -> float | None:
    """The resident memory of a process, from /proc (None when it cannot be read)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), None)
    return int(line.split()[1]) / 1024 if line else None


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds a process has used, from /proc (None when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample_memory(pid: int, deadline: float, every: float, samples: list[tuple[float, float]]) -> None:
    """(seconds since start, RSS MB) of the app every `every` seconds until the deadline."""
    start = time.monotonic()
    while time.monotonic() < deadline:
        value = rss_mb(pid)
        if value is not None:
            samples.append((time.monotonic() - start, value))
        time.sleep(every)


def start_app() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    index = tempfile.mkdtemp(prefix="load-ui-index-")
    app = subprocess.Popen(
        [sys.executable, "-m", "ui", "--port", str(port), "--index", index],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and app.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return app, url
        except OSError:
            time.sleep(0.5)
    app.kill()
    raise SystemExit(f"the app did not start on {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--endpoint", choices=["chat", "ask"], default="chat")
    parser.add_argument("--start", action="store_true", help="start an app on a free loopback port for the run")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a user reads an answer before the next question (default 0: none)")
    parser.add_argument("--server-pid", type=int, help="the app's process id, to report the CPU it used")
    parser.add_argument("--client", choices=["http", "gradio"], default="http",
                        help="http: Gradio's HTTP API with the standard library (light); gradio: gradio_client")
    args = parser.parse_args(argv)
    app = None
    if args.start:
        app, args.url = start_app()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        print("load_ui: only loopback URLs: this tool must not load-test someone else's server.", file=sys.stderr)
        return 2
    results, asked = Results(), questions()
    # warm-up: waits for the index, first-question costs
    ask_once(connect(args.url, args.client), asked[0], args.endpoint)
    deadline = time.monotonic() + args.seconds
    started, clients_cpu = time.perf_counter(), time.process_time()
    server_pid = app.pid if app is not None else args.server_pid
    server_cpu = cpu_seconds(server_pid) if server_pid else None
    threads = [
        threading.Thread(target=user, daemon=True,
                         args=(n, args.url, asked, deadline, args.endpoint, results, args.think, args.client))
        for n in range(args.users)
    ]
    memory: list[tuple[float, float]] = []
    if server_pid:
        threads.append(threading.Thread(target=sample_memory, args=(server_pid, deadline, 10.0, memory), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.seconds + 120)  # a request in flight at the deadline may finish
    elapsed, clients_cpu = time.perf_counter() - started, time.process_time() - clients_cpu
    server_end = cpu_seconds(server_pid) if server_cpu is not None else None
    if app is not None:
        app.terminate()
        app.wait(15)
    done, failed = len(results.latencies), sum(results.errors.values())
    think = f", reading {args.think:g} s between questions" if args.think else ", no pause between questions"
    print(f"{args.users} users ({args.client} client), {elapsed:.0f} s, endpoint /{args.endpoint}, {args.url}{think}")
    server = f", the app {(server_end - server_cpu) / elapsed:.2f}" if server_end is not None else ""
    print(f"CPU: load clients used {clients_cpu / elapsed:.2f} cores of {os.cpu_count()}{server}")
    print(f"requests: {done} ok, {failed} errors, {done / elapsed:.1f} answers/s")
    if results.latencies:
        ms = [t * 1000 for t in results.latencies]
        p50, p95 = percentile(ms, 0.5), percentile(ms, 0.95)
        print(f"latency ms: p50 {p50:.0f}, p95 {p95:.0f}, max {max(ms):.0f}, mean {statistics.mean(ms):.0f}")
    if len(memory) >= 3:
        warm = [mb for seconds, mb in memory if seconds >= args.seconds / 4]  # after a quarter: warmed up
        trace = ", ".join(f"{seconds:.0f}s {mb:.0f}" for seconds, mb in memory)
        print(f"app RSS MB: {trace}; after warm-up {min(warm):.0f}–{max(warm):.0f} (growth {warm[-1] - warm[0]:+.0f})")
    for message, count in results.errors.most_common(10):
        print(f"error ×{count}: {message}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
