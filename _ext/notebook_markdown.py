"""Offer every notebook page as MyST Markdown too (the download menu's ``.md`` entry).

At the end of an HTML build each notebook is written as a MyST Markdown notebook
(``_sources/<page>.md``): markdown cells as they are, code cells as ``{code-cell}``
blocks with their tags. Jupytext and Jupyter Book read this format back.
"""
from __future__ import annotations

from pathlib import Path

import nbformat


def notebook_to_myst(nb) -> str:
    """The notebook as MyST Markdown text (no outputs)."""
    kernel = nb.metadata.get("kernelspec", {})
    lines = [
        "---",
        "jupytext:",
        "  text_representation:",
        "    extension: .md",
        "    format_name: myst",
        "kernelspec:",
        f"  display_name: {kernel.get('display_name', 'Python 3')}",
        f"  language: {kernel.get('language', 'python')}",
        f"  name: {kernel.get('name', 'python3')}",
        "---",
        "",
    ]
    previous = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if previous == "markdown":
                lines += ["+++", ""]  # jupytext's separator between two markdown cells
            lines += [cell.source.rstrip(), ""]
        elif cell.cell_type == "code":
            fence = "`" * max(3, 1 + max((len(r) for r in _backtick_runs(cell.source)), default=0))
            lines.append(f"{fence}{{code-cell}} ipython3")
            tags = cell.metadata.get("tags")
            if tags:
                lines.append(f":tags: [{', '.join(tags)}]")
                lines.append("")
            lines += [cell.source.rstrip(), fence, ""]
        previous = cell.cell_type
    return "\n".join(lines).rstrip() + "\n"


def _backtick_runs(text):
    run = ""
    for ch in text:
        if ch == "`":
            run += ch
        elif run:
            yield run
            run = ""
    if run:
        yield run


def _notebook_docs(app):
    return [d for d in app.env.found_docs if Path(app.env.doc2path(d)).suffix == ".ipynb"]


def write_markdown(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    for doc in _notebook_docs(app):
        nb = nbformat.read(app.env.doc2path(doc), as_version=4)
        out = Path(app.outdir) / "_sources" / f"{doc}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(notebook_to_myst(nb), encoding="utf-8")


def add_button(app, pagename, templatename, context, doctree):
    if pagename not in _notebook_docs(app):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(1, {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{pagename}.md",
                "text": ".md",
                "tooltip": "Download as MyST Markdown",
                "icon": "fas fa-file-lines",
                "label": "download-markdown-button",
            })


def setup(app):
    app.connect("html-page-context", add_button, priority=900)  # after the theme fills the menu
    app.connect("build-finished", write_markdown)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
