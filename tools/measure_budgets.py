"""Measure the budgets the issues set, and print them as a Markdown table.

    .venv/bin/python tools/measure_budgets.py            # after `make strict-build`

- nbval wall time per chapter (``pytest --nbval chapters/X.ipynb``);
- live redraw median per widget (each chapter run in a kernel, every control moved);
- page weight per chapter: its HTML plus the images it references (theme files excluded).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_chapter_widgets import CHAPTERS, run_chapter  # noqa: E402


def nbval_seconds(path: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "ACTIVATIONS_WIDGET_MODE"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(path), "-q", "-p", "no:cacheprovider",
                    "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg")],
                   check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def page_bytes(stem: str) -> int | None:
    page = ROOT / "_build" / "html" / "chapters" / f"{stem}.html"
    if not page.exists():
        return None
    html = page.read_text(encoding="utf-8")
    total = len(html.encode())
    for src in set(re.findall(r'<img[^>]+src="([^"]+)"', html)):
        if not src.startswith("data:"):
            total += (page.parent / src).resolve().stat().st_size
    return total


if __name__ == "__main__":
    print("| chapter | nbval (s) | page weight (MB) | widget | live redraw median (ms) |")
    print("|---|---|---|---|---|")
    for path in CHAPTERS:
        secs = nbval_seconds(path)
        weight = page_bytes(path.stem)
        report = run_chapter(path)
        for i, w in enumerate(report["widgets"]):
            head = (f"| {path.stem} | {secs:.1f} | {weight / 1e6:.2f} |" if weight else f"| {path.stem} | {secs:.1f} | (not built) |") if i == 0 else "| | | |"
            print(f"{head} {w['alt'][:60]} | {w['median_ms']:.1f} |", flush=True)
