"""Static checks of every chapter notebook: the conventions the book relies on.

nbval (``make nbval``) re-executes the chapters and compares outputs; these tests
check what nbval cannot see: structure, alt text, exercises, citations, and that a
chapter calls the package instead of re-implementing it.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

import activations

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"]
BIB_KEYS = set(re.findall(r"@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text()))


def ids(paths):
    return [p.stem for p in paths]


def md(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(params=CHAPTERS, ids=ids(CHAPTERS))
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_chapters_and_all_are_in_the_toc():
    assert CHAPTERS
    toc = (ROOT / "_toc.yml").read_text()
    for p in CHAPTERS:
        assert f"file: chapters/{p.stem}" in toc, f"{p.name} is not in _toc.yml"


def test_valid_notebook_with_python3_kernel_and_no_widget_state(nb):
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata, "stored widget state only adds dead widgets; run `make notebooks`"


def test_title_goals_summary(nb):
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    h1 = [line for line in md(nb).splitlines() if re.match(r"^# \S", line)]
    assert len(h1) == 1, f"exactly one H1 expected, found {h1}"
    assert re.search(r"learning goals", first.source, re.I), "learning goals belong at the top"
    assert re.search(r"^## .*Summary", md(nb), re.M | re.I), "a Summary section is required"


def test_colab_bootstrap_cell_installs_from_the_configured_repository(nb):
    boot = code_cells(nb)[0]
    assert "remove-cell" in boot.metadata.get("tags", [])
    assert "import activations" in boot.source
    assert f"git+{REPO_URL}" in boot.source, "the bootstrap must install from _config.yml's repository url"


def test_exercises_with_hidden_solutions(nb):
    text = md(nb)
    labels = re.findall(r":::\{exercise\}\s*\n:label: (\S+)", text)
    assert len(labels) >= 4, f"at least four exercises expected, found {labels}"
    assert len(set(labels)) == len(labels)
    for lab in labels:
        m = re.search(r":::\{solution(?:-start)?\} " + re.escape(lab) + r"\s*\n:class: dropdown", text)
        assert m, f"exercise {lab} has no hidden (dropdown) solution"


def test_citations_resolve(nb):
    keys = re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", md(nb))
    assert keys, "cite the original papers"
    for group in keys:
        for key in group.split(","):
            assert key.strip() in BIB_KEYS, f"unknown citation key {key!r}"


def test_fresh_outputs_executed_top_to_bottom(nb):
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"re-execute the chapter (make notebooks): {counts}"
    for c in code_cells(nb):
        for o in c.outputs:
            assert o.output_type != "error", f"stored error output in cell: {c.source[:60]!r}"
            text = o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
            assert not re.search(r" at 0x[0-9a-f]+", text), f"memory address in output: {text[:80]!r}"


def test_every_figure_has_alt_text(nb):
    for c in code_cells(nb):
        if any("image/png" in o.get("data", {}) for o in c.outputs):
            alt = c.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) >= 20 and " " in alt, f"figure cell without meaningful alt text: {c.source[:60]!r}"
            assert "plt.show()" in c.source, "end plot cells with plt.show()"


def test_chapter_has_a_widget(nb):
    assert any("interactive_figure(" in c.source for c in code_cells(nb))


def test_chapter_does_not_redefine_package_functions(nb):
    public = {n for n in dir(activations) if not n.startswith("_") and callable(getattr(activations, n))}
    for c in code_cells(nb):
        # IPython magics are not Python: keep the indentation, drop the command
        src = "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                        for line in c.source.splitlines())
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and getattr(node, "name", None) in public:
                pytest.fail(f"cell redefines activations.{node.name}; import it instead")
