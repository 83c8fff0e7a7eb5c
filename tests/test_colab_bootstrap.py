"""The Colab bootstrap: a chapter runs top to bottom where the package is not installed.

A fresh virtual environment sees the test environment's third-party packages (through
a .pth file) but not ``activations``. The chapter's first cell is pointed at this
checkout instead of the repository URL; executing the chapter must install the package
from there and then run every cell without error, exactly as in Colab.
"""
from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
from pathlib import Path

import nbclient
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "linearity.ipynb"
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def test_chapter_installs_the_package_itself_and_runs(tmp_path):
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # third-party packages only: a plain path entry does not run the editable-install hook
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    missing = subprocess.run([py, "-c", "import activations"], capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode != 0 and "No module named 'activations'" in missing.stderr
    subprocess.run([py, "-m", "ipykernel", "install", "--prefix", str(env_dir), "--name", "fresh"],
                   check=True, capture_output=True)

    nb = nbformat.read(CHAPTER, as_version=4)
    boot = next(c for c in nb.cells if c.cell_type == "code")
    assert f"git+{REPO_URL}" in boot.source
    boot.source = boot.source.replace(f"git+{REPO_URL}", ROOT.as_uri())
    nb.cells.append(nbformat.v4.new_code_cell("import activations; print('FROM', activations.__file__)"))
    work = tmp_path / "chapters"
    work.mkdir()
    env = {**os.environ, "JUPYTER_PATH": str(env_dir / "share" / "jupyter"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("ACTIVATIONS_WIDGET_MODE", None)
    env.pop("PYTHONPATH", None)
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="fresh",
                                resources={"metadata": {"path": str(work)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert "FROM " + str(env_dir) in out, f"the package was not installed into the fresh environment: {out}"
