"""glibc heap pinning shared by the benchmark scripts (see benchmarks/README.md).

By default glibc hands every freed 8 MB temporary back to the kernel and page-faults it in
again on the next call; in a virtual machine those faults can cost more than the
arithmetic. Both scripts re-execute themselves once with trimming off, so that they time
the computation, the same way for ours and for the naive formula.
"""
from __future__ import annotations

import os
import sys

HEAP_ENV = {"MALLOC_TRIM_THRESHOLD_": str(2**31 - 1), "MALLOC_MMAP_THRESHOLD_": str(2**25)}
FLAG = "--no-heap-pinning"


def pin_heap(script: str, argv) -> None:
    """Re-run ``script`` with glibc's heap trimming off, unless ``argv`` has ``--no-heap-pinning``."""
    if sys.platform.startswith("linux") and FLAG not in argv and not pinned():
        os.execve(sys.executable, [sys.executable, os.path.abspath(script), *argv], {**os.environ, **HEAP_ENV})


def pinned() -> bool:
    return all(os.environ.get(k) == v for k, v in HEAP_ENV.items())


def describe() -> str:
    return f"heap trimming {'off' if pinned() else 'on (glibc default)'}"
