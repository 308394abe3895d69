"""Screenshots of the member's workspace for the README: docs/briefing.png (the briefing builder) and
docs/history.png (saved conversations).

They are taken by the workspace browser test at the moment its flows reach them, so the pictures show what the
test checks: `python benchmarks/screenshots_workspace.py` runs tests/ui/test_browser_briefing.py with
SCREENSHOTS=1 (the system chromium, the app on loopback, the interface in Traditional Chinese).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {**os.environ, "SCREENSHOTS": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "tests/ui/test_browser_briefing.py"]
    status = subprocess.call(command, cwd=ROOT, env=env)
    for name in ("briefing.png", "history.png"):
        shot = ROOT / "docs" / name
        print(f"{shot.relative_to(ROOT)}: {'written' if shot.is_file() else 'MISSING'}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
