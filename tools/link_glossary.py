"""Link the first prose mention of every glossary term in each chapter to the glossary.

    .venv/bin/python tools/link_glossary.py chapters/*.ipynb

Idempotent: a term already linked in a chapter (``{term}`...```) is left alone. Only
plain prose is touched: never headings, math, inline code, links, roles, directive
lines or exercise/solution blocks. Terms come from ``appendix/glossary.md``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

# Spans that must not be touched: math, code, links, roles, HTML tags.
PROTECTED = re.compile(
    r"\$\$.*?\$\$|\$[^$\n]+\$|``.*?``|`[^`\n]*`|\{[a-z:]+\}`[^`]*`|!?\[[^\]]*\]\([^)]*\)|<[^>]+>",
    re.S,
)


# Words with an everyday meaning: linked only in the chapter that teaches the term.
AMBIGUOUS = {"temperature", "probability", "weight", "bias"}


def glossary_terms() -> dict[str, str]:
    """Glossary term -> stem of the chapter that teaches it (from its {doc} link)."""
    text = (ROOT / "appendix" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    terms, current = {}, None
    for line in block.splitlines():
        if line and not line.startswith((" ", "\t")):
            current = line.strip()
            terms[current] = ""
        elif current and (m := re.search(r"\{doc\}`\.\./chapters/(\w+)`", line)):
            terms[current] = m.group(1)
    return terms


def surface_pattern(term: str) -> re.Pattern:
    # the term or its plural, as a whole word, any case for ordinary words
    words = re.escape(term).replace(r"\ ", r"[ -]")
    flags = 0 if term.isupper() or term in {"ReLU", "PReLU", "RReLU", "ELU", "SELU", "GELU", "SiLU", "XOR problem"} else re.I
    return re.compile(rf"(?<![\w`{{/-]){words}(?:s|es)?(?![\w`}}-])", flags)


def link_first(source: str, term: str) -> tuple[str, bool]:
    """Link the first unprotected mention of ``term`` in one markdown cell."""
    pat = surface_pattern(term)
    in_directive = False
    lines = source.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith((":::", "```")):
            in_directive = not in_directive if stripped.strip() in (":::", "```") or "{" in stripped else in_directive
            continue
        if in_directive or stripped.startswith(("#", ":", "|")):
            continue  # headings, directive options, tables, exercise/solution bodies
        spans = [m.span() for m in PROTECTED.finditer(line)]
        for m in pat.finditer(line):
            if any(a <= m.start() < b for a, b in spans):
                continue
            text = m.group(0)
            role = f"{{term}}`{text}`" if text.lower() == term.lower() else f"{{term}}`{text} <{term}>`"
            lines[i] = line[: m.start()] + role + line[m.end():]
            return "\n".join(lines), True
    return source, False


def link_notebook(path: Path, terms: dict[str, str]) -> int:
    nb = nbformat.read(path, as_version=4)
    md_cells = [c for c in nb.cells if c.cell_type == "markdown"]
    already = set()
    for c in md_cells:
        for m in re.finditer(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", c.source):
            already.add(m.group(1).strip().lower())
    added = 0
    for term in sorted(terms, key=len, reverse=True):  # longer terms first: "dying ReLU" before "ReLU"
        if term.lower() in already or (term in AMBIGUOUS and terms[term] != path.stem):
            continue
        for c in md_cells[1:]:  # not in the title cell
            c.source, done = link_first(c.source, term)
            if done:
                added += 1
                already.add(term.lower())
                break
    if added:
        nbformat.write(nb, path)
    return added


if __name__ == "__main__":
    terms = glossary_terms()
    for p in sys.argv[1:]:
        print(f"{p}: linked {link_notebook(Path(p), terms)} glossary terms")
