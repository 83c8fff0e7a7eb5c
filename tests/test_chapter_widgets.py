"""Run every chapter in a real kernel and exercise every widget it creates, live.

Under the environment's ipywidgets 8.x and under ipywidgets 7.7 (the version Colab
ships, installed with ``pip --target`` into ``.venv/ipywidgets7`` and put first on the
kernel's ``PYTHONPATH``), each widget must: draw through its update path exactly what a
full redraw draws, and redraw to a new image when any control moves. Redraw times are
recorded; the budget (median at most 50 ms) is measured by ``tools/measure_budgets.py``
— here only a generous bound guards against a widget that is grossly slow.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
IPYW7_DIR = ROOT / ".venv" / "ipywidgets7"
IPYW7_PINS = ["ipywidgets==7.7.5", "ipython_genutils==0.2.0"]

PROBE = r'''
import json, numpy as np, ipywidgets
from activations.widgets import instances, Choice
report = []
for fig in instances():
    fig.check_update()
    ctl, moved = fig.controls, {}
    for name, w in ctl.items():
        p = fig.params[name]
        values = p.grid() if isinstance(p, Choice) else list(np.linspace(p.min, p.max, 6))
        changed = False
        for v in values:
            before = fig._image.value
            w.value = v
            changed |= fig._image.value != before
        w.value = p.initial()
        moved[name] = changed
    report.append({"alt": fig.alt_text(**fig.values), "moved": moved,
                   "median_ms": 1e3 * float(np.median(fig.redraw_times)), "redraws": len(fig.redraw_times)})
print("PROBE" + json.dumps({"ipywidgets": ipywidgets.__version__, "widgets": report}))
'''


def run_chapter(path: Path, extra_pythonpath: str | None = None) -> dict:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    env_backup = os.environ.copy()
    os.environ.pop("ACTIVATIONS_WIDGET_MODE", None)
    if extra_pythonpath:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [extra_pythonpath, os.environ.get("PYTHONPATH")]))
    try:
        nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(out.split("PROBE", 1)[1])


def check(report: dict, path: Path):
    assert report["widgets"], f"{path.name} created no interactive figure"
    for w in report["widgets"]:
        for name, changed in w["moved"].items():
            assert changed, f"{path.name}: moving {name!r} never changed the figure ({w['alt']})"
        assert w["median_ms"] < 250, f"{path.name}: redraw median {w['median_ms']:.0f} ms ({w['alt']})"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_widgets_live_ipywidgets8(path):
    report = run_chapter(path)
    assert report["ipywidgets"].startswith("8.")
    check(report, path)


@pytest.fixture(scope="session")
def ipywidgets7():
    if not (IPYW7_DIR / "ipywidgets" / "__init__.py").exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(IPYW7_DIR), *IPYW7_PINS], check=True)
    return str(IPYW7_DIR)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_widgets_live_ipywidgets7_colab(path, ipywidgets7):
    report = run_chapter(path, extra_pythonpath=ipywidgets7)
    assert report["ipywidgets"].startswith("7.7"), report["ipywidgets"]
    check(report, path)
