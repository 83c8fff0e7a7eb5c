"""Execute chapter notebooks in place so their stored outputs are fresh (``make notebooks``).

Runs each notebook top to bottom in its own folder with the ``python3`` kernel of the
current environment, in live widget mode, without storing widget state (the HTML book
re-executes chapters in static mode; stored state would only add dead widgets).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbclient
import nbformat


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", store_widget_state=False, record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps would make every run a diff
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("chapters").glob("*.ipynb"))
    for p in paths:
        print(f"{p}: executed in {execute(p):.1f} s", flush=True)
