"""Speed and accuracy of activations.elementwise against the naive NumPy formulas.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_elementwise.py [--n 1000000] [--repeat 15] [--quick] [--only mish,gelu]

For every function and derivative it prints one Markdown table row:

* time of ours on n float64 values drawn from N(0, 5²) (seeded; the minimum CPU
  time of ``--repeat`` interleaved runs) relative to the naive formula a student would
  write, and relative to a plain ``np.copy`` of the input (the cost of touching
  the data);
* the largest error in ulps, against mpmath at 50 digits, over an accuracy
  grid with tails (1001 points on [-50, 50], ±1e-300, ±1e-8, 20..40, -745..-50,
  50..800), of ours, of the naive formula, of the SciPy/NumPy library function
  where one exists, and of PyTorch if ``import torch`` works (never required).

Accuracy needs mpmath and the references in tests/test_elementwise.py.

On Linux the script re-executes itself once with glibc's heap trimming turned
off (``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_``): otherwise every
8 MB temporary is handed back to the kernel and page-faulted in again on the
next call, and in a virtual machine those faults can cost more than the
arithmetic.  ``--no-heap-pinning`` measures the default behaviour instead.
"""
from __future__ import annotations

import argparse
import functools
import math
import os
import sys
import time

import numpy as np
import scipy.special as sc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src"))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import activations.elementwise as E  # noqa: E402
from _heap import describe, pin_heap  # noqa: E402
import test_elementwise as T  # noqa: E402  (mpmath references REF, truth(), ulps())

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # PyTorch is optional
    torch = None

SQ2, SQ2PI = np.sqrt(2.0), np.sqrt(2.0 * np.pi)
K = np.sqrt(2.0 / np.pi)


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (naive f, naive f', library f or None, library f' or None); parameters at registry defaults
NAIVE = {
    "identity": (lambda x: x.copy(), lambda x: np.ones_like(x), None, None),
    "step": (lambda x: (x > 0).astype(float), lambda x: np.zeros_like(x),
             lambda x: np.heaviside(x, 0.0), None),
    "sigmoid": (_sig, lambda x: _sig(x) * (1 - _sig(x)), sc.expit, lambda x: sc.expit(x) * sc.expit(-x)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2, None, None),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float), None, None),
    "relu6": (lambda x: np.minimum(np.maximum(x, 0), 6), lambda x: ((x > 0) & (x < 6)).astype(float),
              None, None),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1.0, 0.01), None, None),
    "prelu": (lambda x: np.where(x > 0, x, 0.25 * x), lambda x: np.where(x > 0, 1.0, 0.25), None, None),
    "rrelu": (lambda x: np.where(x >= 0, x, x * (1 / 8 + 1 / 3) / 2),
              lambda x: np.where(x > 0, 1.0, (1 / 8 + 1 / 3) / 2), None, None),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), lambda x: np.where(x > 0, 1.0, np.exp(x)), None, None),
    "celu": (lambda x: np.maximum(0, x) + np.minimum(0, np.exp(x) - 1),
             lambda x: np.where(x > 0, 1.0, np.exp(x)), None, None),
    "selu": (lambda x: E.SELU_SCALE * np.where(x > 0, x, E.SELU_ALPHA * (np.exp(x) - 1)),
             lambda x: E.SELU_SCALE * np.where(x > 0, 1.0, E.SELU_ALPHA * np.exp(x)), None, None),
    "gelu": (lambda x: 0.5 * x * (1 + sc.erf(x / SQ2)),
             lambda x: 0.5 * (1 + sc.erf(x / SQ2)) + x * np.exp(-x * x / 2) / SQ2PI,
             lambda x: x * sc.ndtr(x), lambda x: sc.ndtr(x) + x * np.exp(-x * x / 2) / SQ2PI),
    "gelu_tanh": (lambda x: 0.5 * x * (1 + np.tanh(K * (x + 0.044715 * x ** 3))),
                  lambda x: (lambda t: 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x))(
                      np.tanh(K * (x + 0.044715 * x ** 3))), None, None),
    "silu": (lambda x: x / (1 + np.exp(-x)), lambda x: _sig(x) * (1 + x * (1 - _sig(x))),
             lambda x: x * sc.expit(x), lambda x: sc.expit(x) * (1 + x * sc.expit(-x))),
    "mish": (lambda x: x * np.tanh(np.log1p(np.exp(x))),
             lambda x: (lambda t: t + x * _sig(x) * (1 - t * t))(np.tanh(np.log1p(np.exp(x)))), None, None),
    "softplus": (lambda x: np.log1p(np.exp(x)), _sig, lambda x: np.logaddexp(0.0, x), sc.expit),
    "softsign": (lambda x: x / (1 + np.abs(x)), lambda x: 1 / (1 + np.abs(x)) ** 2, None, None),
    "hardtanh": (lambda x: np.clip(x, -1, 1), lambda x: ((x > -1) & (x < 1)).astype(float), None, None),
    "threshold": (lambda x: np.where(x > 1, x, 0.0), lambda x: (x > 1).astype(float), None, None),
    "tanhshrink": (lambda x: x - np.tanh(x), lambda x: np.tanh(x) ** 2, None, None),
    "softshrink": (lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
                   lambda x: (np.abs(x) > 0.5).astype(float), None, None),
    "hardshrink": (lambda x: np.where(np.abs(x) > 0.5, x, 0.0), lambda x: (np.abs(x) > 0.5).astype(float),
                   None, None),
    "logsigmoid": (lambda x: np.log(_sig(x)), lambda x: 1 - _sig(x), sc.log_expit, lambda x: sc.expit(-x)),
}

PARAMS = {"prelu": {"weight": 0.25}, "threshold": {"threshold": 1.0, "value": 0.0}}


def ours(name, grad):
    return functools.partial(T.numpy_fn(name, grad), **PARAMS.get(name, {}))


def torch_fn(name, grad):
    """PyTorch's version (autograd for derivatives), or None."""
    if torch is None:
        return None
    fwd = {
        "identity": lambda t: t, "step": lambda t: torch.heaviside(t, torch.tensor(0.0, dtype=t.dtype)),
        "prelu": lambda t: F.prelu(t, torch.tensor([0.25], dtype=t.dtype)),
        "threshold": lambda t: F.threshold(t, 1.0, 0.0),
        "gelu": lambda t: F.gelu(t), "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
        "rrelu": lambda t: F.rrelu(t, training=False),
    }.get(name) or getattr(F, name, None)
    if fwd is None:
        return None
    if grad:  # autograd lacks some derivatives (heaviside): then PyTorch has no column entry
        try:
            t = torch.zeros(2, dtype=torch.float64, requires_grad=True)
            torch.autograd.grad(fwd(t).sum(), t)
        except RuntimeError:
            return None

    def run(x):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=grad)
        y = fwd(t)
        if not grad:
            return y.detach().numpy()
        (g,) = torch.autograd.grad(y.sum(), t)
        return g.numpy()
    return run


def accuracy_grid():
    g = np.linspace(-50.0, 50.0, 1001)
    return np.concatenate([g, [1e-300, -1e-300, 1e-8, -1e-8], np.arange(20.0, 40.5, 0.5),
                           np.linspace(-745.0, -50.0, 140), np.linspace(50.0, 800.0, 76)])


def max_ulp(fn, name, grad, xs):
    if fn is None:
        return None
    hi, lo = T.truth(name, xs, grad, **PARAMS.get(name, {}))
    with np.errstate(all="ignore"):
        got = np.asarray(fn(xs), dtype=np.float64)
    u = T.ulps(got, hi, lo)
    return float(np.max(u))


def best_ms(fns, x, repeat):
    """Minimum CPU time in ms of each function on x, the functions run interleaved.

    CPU time leaves out time spent waiting, and the minimum the disturbances of a busy
    (virtual) machine, which only ever add time; interleaving slows all alike.
    """
    best = [math.inf for _ in fns]
    for f in fns:
        f(x)  # warm up (imports, first page faults)
    for _ in range(repeat):
        for i, f in enumerate(fns):
            t0 = time.process_time()
            f(x)
            best[i] = min(best[i], time.process_time() - t0)
    return [1e3 * t for t in best]


def fmt_ulp(u):
    if u is None:
        return "–"
    if not np.isfinite(u):
        return "inf"
    return f"{u:.2f}" if u < 100 else f"{u:.1e}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--only", default="", help="comma-separated names (e.g. mish,tanhshrink): just these rows")
    ap.add_argument("--quick", action="store_true", help="timing only, no mpmath accuracy columns")
    ap.add_argument("--no-heap-pinning", action="store_true", help="keep glibc's default heap trimming")
    args = ap.parse_args(argv)
    pin_heap(__file__, sys.argv[1:] if argv is None else argv)

    x = np.random.default_rng(20240601).normal(0.0, 5.0, args.n)
    xs = accuracy_grid()
    t_copy = best_ms([np.copy], x, args.repeat)[0]
    print(f"n = {args.n:,} float64 values from N(0, 5²); np.copy takes {t_copy:.2f} ms; "
          f"{describe()}; "
          f"PyTorch {'available' if torch is not None else 'not installed'}.\n")
    head = "| function | ours (ms) | ours / naive | ours / copy |"
    if not args.quick:
        head += " ulp ours | ulp naive | ulp SciPy/NumPy | ulp PyTorch |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    worst = {}
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    for name in T.REF:
        if only and name not in only:
            continue
        for grad in (False, True):
            label = ("gelu(approximate='tanh')" if name == "gelu_tanh" else name) + ("_grad" if grad else "")
            naive, lib = NAIVE[name][1 if grad else 0], NAIVE[name][3 if grad else 2]
            f = ours(name, grad)
            with np.errstate(all="ignore"):
                t_ours, t_naive, t_cp = best_ms([f, naive, np.copy], x, args.repeat)
            row = f"| `{label}` | {t_ours:.2f} | {t_ours / t_naive:.2f} | {t_ours / t_cp:.1f} |"
            if not args.quick:
                u = [max_ulp(g, name, grad, xs) for g in (f, naive, lib, torch_fn(name, grad))]
                worst[label] = u[0]
                row += " " + " | ".join(fmt_ulp(v) for v in u) + " |"
            print(row, flush=True)
    if worst:
        name = max(worst, key=worst.get)
        print(f"\nLargest error of ours: {worst[name]:.2f} ulp ({name}).")


if __name__ == "__main__":
    main()
