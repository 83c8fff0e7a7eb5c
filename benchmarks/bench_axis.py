"""Speed and accuracy of the along-axis and information functions (a script, not a test).

    PYTHONPATH=src python benchmarks/bench_axis.py

Prints a Markdown table. Speed: each function on a (1000, 1000) float64 array (1e6
values) along the last axis, as the ratio of its time to the *naive* NumPy formula a student
would write (the formula is listed under the table) and to a plain ``np.copy`` of the input;
minimum CPU time over interleaved repeats, so other processes disturb it little. Accuracy: the largest
error in ulp, element by element, against mpmath at 50 digits, over the accuracy sets (the
logits of the tests: [1000, 1001, 1002], [-1000, -1000], [1e308, 0], [40, 0], [0, -50, -50],
[1e-300, 0], seeded N(0, 10) vectors of length 10 and 1000; for the information functions
Dirichlet pairs, nearly equal pairs and tiny probabilities). "inf" means a NaN, an infinity
or a 0 where the exact value is finite and nonzero. PyTorch is used if ``import torch`` works.

Like ``bench_elementwise.py``, the script re-executes itself once with glibc's heap
trimming off (``benchmarks/_heap.py``); ``--no-heap-pinning`` keeps the default.
"""
from __future__ import annotations

import math
import pathlib
import sys
import time

import mpmath
import numpy as np
import scipy.special as sp

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import activations.along_axis as ax  # noqa: E402
import activations.information as info  # noqa: E402
from _heap import describe, pin_heap  # noqa: E402
from oracle import ulp_error  # noqa: E402

try:  # optional
    import torch
    import torch.nn.functional as F
except Exception:  # noqa: BLE001
    torch = None

mpmath.mp.dps = 50
RNG = np.random.default_rng(0)
X = RNG.normal(0, 5, (1000, 1000))
Z = RNG.normal(0, 5, (1000, 1000))
T = 0.7
V = RNG.normal(0, 1, X.shape)
P = ax.softmax(RNG.normal(0, 1, X.shape))
Q = ax.softmax(RNG.normal(0, 1, X.shape))
LABELS = RNG.integers(0, 1000, 1000)
ROWS = np.arange(1000)
Y01 = RNG.uniform(0, 1, X.shape)
XJ = RNG.normal(0, 5, (100_000, 10))  # jacobian: 1e6 inputs, 1e7 outputs

LOGIT_SETS = [np.array(v, dtype=np.float64) for v in
              ([1000.0, 1001.0, 1002.0], [-1000.0, -1000.0], [1e308, 0.0], [40.0, 0.0],
               [0.0, -50.0, -50.0], [1e-300, 0.0])] + [RNG.normal(0, 10, 10), RNG.normal(0, 10, 1000)]


def _norm(v):
    return v / v.sum()


PAIRS = ([(RNG.dirichlet(np.ones(50)), RNG.dirichlet(np.ones(50))) for _ in range(5)]
         + [(p, _norm(p * (1 + RNG.normal(0, 1e-5, 50)))) for p in (RNG.dirichlet(np.ones(50)) for _ in range(5))]
         + [(_norm(np.r_[1.0, 10.0 ** RNG.uniform(-300, -20, 9)]), _norm(np.r_[1.0, 10.0 ** RNG.uniform(-300, -20, 9)]))
            for _ in range(5)]
         + [(RNG.dirichlet(np.ones(1000)), RNG.dirichlet(np.ones(1000)))])


# --- exact values ---------------------------------------------------------------------------------

def _mp(v):
    return mpmath.mpf(float(v))


def exact_softmax(x, T=1.0):
    z = [_mp(v) / _mp(T) for v in x]
    k = max(range(len(z)), key=lambda i: z[i])
    e = [mpmath.exp(v - z[k]) for v in z]
    rest = mpmath.fsum(e[:k] + e[k + 1:])
    L = mpmath.log1p(rest)
    return [v / (1 + rest) for v in e], [(v - z[k]) - L for v in z], z[k] + L


def exact_entropy(p):
    return -mpmath.fsum(_mp(a) * mpmath.log(_mp(a)) for a in p if a > 0)


def exact_kl(p, q):
    return mpmath.fsum(_mp(a) * mpmath.log(_mp(a) / _mp(b)) - _mp(a) + _mp(b) if a > 0 else _mp(b)
                       for a, b in zip(p, q))


def exact_ce(p, q):
    return -mpmath.fsum(_mp(a) * mpmath.log(_mp(b)) for a, b in zip(p, q) if a > 0)


def exact_bce(x, y):
    x, y = _mp(x), _mp(y)
    sp_ = lambda v: mpmath.log1p(mpmath.exp(v)) if v < 0 else v + mpmath.log1p(mpmath.exp(-v))  # noqa: E731
    return y * sp_(-x) + (1 - y) * sp_(x)


def worst(got, truths):
    got = np.ravel(np.asarray(got, dtype=np.float64))
    with np.errstate(all="ignore"):
        return max(ulp_error(g, t) for g, t in zip(got, truths))


# --- implementations: ours, naive, max-shifted, SciPy, PyTorch -------------------------------------

def naive_softmax(x, axis=-1):
    return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)


def shifted_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def shifted_log_softmax(x, axis=-1):
    d = x - x.max(axis=axis, keepdims=True)
    return d - np.log(np.exp(d).sum(axis=axis, keepdims=True))


def shifted_lse(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return np.squeeze(m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True)), axis=axis)


def _t(x):
    return torch.from_numpy(np.ascontiguousarray(x))


def naive_jacobian(x):
    p = naive_softmax(x)
    return p[..., :, None] * (np.eye(x.shape[-1]) - p[..., None, :])


def _sig(x):
    return 1 / (1 + np.exp(-x))


# Each row: name, ours (timed), naive (timed), accuracy triple per implementation.
# An accuracy entry is (function of one test input, list of (input, exact values)).
def _softmax_cases(T=1.0, sign=1.0):
    return [(sign * x, exact_softmax(sign * x, T)[0]) for x in LOGIT_SETS]


def _lsm_cases():
    return [(x, exact_softmax(x)[1]) for x in LOGIT_SETS]


def _lse_cases():
    return [(x, [exact_softmax(x)[2]]) for x in LOGIT_SETS]


def _grad_cases():
    out = []
    for x in LOGIT_SETS:
        p, _, _ = exact_softmax(x)
        t = int(np.argmax(x))
        out.append(((x, t), [pj - (j == t) for j, pj in enumerate(p)]))
    return out


def _ce_cases():
    out = []
    for x in LOGIT_SETS:
        _, lp, _ = exact_softmax(x)
        t = int(np.argmax(x))
        out.append(((x, t), [-lp[t]]))
    return out


def _vjp_cases():
    out = []
    for x in LOGIT_SETS:
        p, _, _ = exact_softmax(x)
        v = [(-1.0) ** i * (i % 3) for i in range(len(x))]
        pv = mpmath.fsum(_mp(a) * b for a, b in zip(v, p))
        out.append(((x, np.array(v)), [b * (_mp(a) - pv) for a, b in zip(v, p)]))
    return out


def _jac_cases():
    out = []
    for x in LOGIT_SETS[:-1]:
        p, _, _ = exact_softmax(x)
        out.append((x, [p[i] * ((i == j) - p[j]) for i in range(len(p)) for j in range(len(p))]))
    return out


BCE_X = np.array([-800.0, -40.0, -1.0, 0.0, 2.5, 36.0, 100.0, 800.0])
BCE_Y = np.array([0.0, 1e-12, 0.3, 0.5, 0.9999999, 1.0])
BCE_CASES = [((np.full(len(BCE_Y), x), BCE_Y), [exact_bce(x, y) for y in BCE_Y]) for x in BCE_X]
DIST_H = [(p, [exact_entropy(p)]) for p, _ in PAIRS]
DIST_KL = [((p, q), [exact_kl(p, q)]) for p, q in PAIRS]
DIST_CE = [((q, p), [exact_ce(p, q)]) for p, q in PAIRS]


def torch_or_none(f):
    return f if torch is not None else None


ROWS_SPEC = [
    dict(name="softmax", ours=lambda: ax.softmax(X), naive=lambda: naive_softmax(X),
         acc=_softmax_cases(), impl=dict(
             ours=ax.softmax, naive=naive_softmax, shifted=shifted_softmax,
             scipy=sp.softmax, torch=torch_or_none(lambda x: F.softmax(_t(x), -1).numpy()))),
    dict(name=f"softmax, T={T}", ours=lambda: ax.softmax(X, temperature=T), naive=lambda: naive_softmax(X / T),
         acc=_softmax_cases(T), impl=dict(
             ours=lambda x: ax.softmax(x, temperature=T), naive=lambda x: naive_softmax(x / T),
             shifted=lambda x: shifted_softmax(x / T), scipy=lambda x: sp.softmax(x / T),
             torch=torch_or_none(lambda x: F.softmax(_t(x) / T, -1).numpy()))),
    dict(name="softmin", ours=lambda: ax.softmin(X), naive=lambda: naive_softmax(-X),
         acc=_softmax_cases(sign=-1.0), impl=dict(
             ours=lambda x: ax.softmin(-x), naive=lambda x: naive_softmax(x), shifted=lambda x: shifted_softmax(x),
             scipy=lambda x: sp.softmax(x), torch=torch_or_none(lambda x: F.softmin(_t(-x), -1).numpy()))),
    dict(name="log_softmax", ours=lambda: ax.log_softmax(X),
         naive=lambda: X - np.log(np.exp(X).sum(axis=-1, keepdims=True)),
         acc=_lsm_cases(), impl=dict(
             ours=ax.log_softmax, naive=lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True)),
             shifted=shifted_log_softmax, scipy=sp.log_softmax,
             torch=torch_or_none(lambda x: F.log_softmax(_t(x), -1).numpy()))),
    dict(name="logsumexp", ours=lambda: ax.logsumexp(X), naive=lambda: np.log(np.exp(X).sum(axis=-1)),
         acc=_lse_cases(), impl=dict(
             ours=ax.logsumexp, naive=lambda x: np.log(np.exp(x).sum(-1)), shifted=shifted_lse,
             scipy=sp.logsumexp, torch=torch_or_none(lambda x: torch.logsumexp(_t(x), -1).numpy()))),
    dict(name="softmax_vjp", ours=lambda: ax.softmax_vjp(X, V),
         naive=lambda: (lambda p: p * (V - (V * p).sum(-1, keepdims=True)))(naive_softmax(X)),
         acc=_vjp_cases(), impl=dict(
             ours=lambda a: ax.softmax_vjp(*a),
             naive=lambda a: (lambda p: p * (a[1] - (a[1] * p).sum(-1, keepdims=True)))(naive_softmax(a[0])),
             shifted=lambda a: (lambda p: p * (a[1] - (a[1] * p).sum(-1, keepdims=True)))(shifted_softmax(a[0])),
             scipy=None, torch=None)),
    dict(name="softmax_jacobian (100000x10)", ours=lambda: ax.softmax_jacobian(XJ), naive=lambda: naive_jacobian(XJ),
         acc=_jac_cases(), impl=dict(
             ours=ax.softmax_jacobian, naive=naive_jacobian,
             shifted=lambda x: (lambda p: p[:, None] * (np.eye(len(x)) - p[None, :]))(shifted_softmax(x)),
             scipy=None, torch=None)),
    dict(name="entropy", ours=lambda: info.entropy(P), naive=lambda: -np.sum(P * np.log(P), axis=-1),
         acc=DIST_H, impl=dict(
             ours=info.entropy, naive=lambda p: -np.sum(p * np.log(p)), shifted=None,
             scipy=lambda p: np.sum(sp.entr(p)),
             torch=torch_or_none(lambda p: torch.distributions.Categorical(probs=_t(p)).entropy().numpy()))),
    dict(name="kl_divergence", ours=lambda: info.kl_divergence(P, Q), naive=lambda: np.sum(P * np.log(P / Q), axis=-1),
         acc=DIST_KL, impl=dict(
             ours=lambda a: info.kl_divergence(*a), naive=lambda a: np.sum(a[0] * np.log(a[0] / a[1])),
             shifted=None, scipy=lambda a: np.sum(sp.rel_entr(*a)),
             torch=torch_or_none(lambda a: F.kl_div(_t(np.log(a[1])), _t(a[0]), reduction="sum").numpy()))),
    dict(name="cross_entropy (probabilities)", ours=lambda: info.cross_entropy(Q, P, from_logits=False),
         naive=lambda: np.mean(-np.sum(P * np.log(Q), axis=-1)),
         acc=DIST_CE, impl=dict(
             ours=lambda a: info.cross_entropy(*a, from_logits=False),
             naive=lambda a: -np.sum(a[1] * np.log(a[0])), shifted=None,
             scipy=lambda a: -np.sum(sp.xlogy(a[1], a[0])), torch=None)),
    dict(name="cross_entropy (logits, class indices)", ours=lambda: info.cross_entropy(X, LABELS),
         naive=lambda: -np.mean(np.log(naive_softmax(X))[ROWS, LABELS]),
         acc=_ce_cases(), impl=dict(
             ours=lambda a: info.cross_entropy(*a), naive=lambda a: -np.log(naive_softmax(a[0]))[a[1]],
             shifted=lambda a: -shifted_log_softmax(a[0])[a[1]], scipy=lambda a: -sp.log_softmax(a[0])[a[1]],
             torch=torch_or_none(lambda a: F.cross_entropy(_t(a[0][None]), torch.tensor([a[1]])).numpy()))),
    dict(name="nll", ours=lambda: info.nll(X, LABELS), naive=lambda: -np.mean(X[ROWS, LABELS]),
         acc=None, impl=None),
    dict(name="binary_cross_entropy_with_logits", ours=lambda: info.binary_cross_entropy_with_logits(X, Y01),
         naive=lambda: -np.mean(Y01 * np.log(_sig(X)) + (1 - Y01) * np.log(1 - _sig(X))),
         acc=BCE_CASES, impl=dict(
             ours=lambda a: info.binary_cross_entropy_with_logits(*a, reduction="none"),
             naive=lambda a: -(a[1] * np.log(_sig(a[0])) + (1 - a[1]) * np.log(1 - _sig(a[0]))),
             shifted=lambda a: np.maximum(a[0], 0) - a[0] * a[1] + np.log1p(np.exp(-np.abs(a[0]))),
             scipy=None,
             torch=torch_or_none(lambda a: F.binary_cross_entropy_with_logits(
                 _t(a[0]), _t(a[1]), reduction="none").numpy()))),
    dict(name="cross_entropy_grad", ours=lambda: info.cross_entropy_grad(X, LABELS),
         naive=lambda: naive_softmax(X) - np.eye(1000)[LABELS],
         acc=_grad_cases(), impl=dict(
             ours=lambda a: info.cross_entropy_grad(*a),
             naive=lambda a: naive_softmax(a[0]) - np.eye(len(a[0]))[a[1]],
             shifted=lambda a: shifted_softmax(a[0]) - np.eye(len(a[0]))[a[1]], scipy=None, torch=None)),
]
NAIVE_TEXT = {
    "softmax": "np.exp(x) / np.exp(x).sum(-1, keepdims=True)",
    f"softmax, T={T}": "the same on x / T",
    "softmin": "the same on -x",
    "log_softmax": "x - np.log(np.exp(x).sum(-1, keepdims=True))",
    "logsumexp": "np.log(np.exp(x).sum(-1))",
    "softmax_vjp": "p = naive softmax; p * (v - (v * p).sum(-1, keepdims=True))",
    "softmax_jacobian (100000x10)": "p[..., :, None] * (np.eye(n) - p[..., None, :])",
    "entropy": "-np.sum(p * np.log(p), -1)",
    "kl_divergence": "np.sum(p * np.log(p / q), -1)",
    "cross_entropy (probabilities)": "np.mean(-np.sum(p * np.log(q), -1))",
    "cross_entropy (logits, class indices)": "-np.mean(np.log(naive softmax)[rows, labels])",
    "nll": "-np.mean(x[rows, labels])",
    "binary_cross_entropy_with_logits": "-np.mean(y*log(sigmoid(x)) + (1-y)*log(1-sigmoid(x)))",
    "cross_entropy_grad": "naive softmax - np.eye(n)[labels]",
}


def time_interleaved(fns: dict, repeats: int = 25) -> dict:
    """Minimum CPU time (this process) per call; the candidates take turns, so a busy
    machine slows them alike. CPU time, unlike wall time, leaves out time spent waiting.
    A sample is as many calls as take ~2 ms, so microsecond calls are not lost in the
    clock's resolution."""
    best = {k: math.inf for k in fns}
    calls = {}
    with np.errstate(all="ignore"):
        for k, f in fns.items():
            t0 = time.perf_counter()
            f()  # warm up, and size the samples
            calls[k] = max(1, min(1000, int(2e-3 / max(time.perf_counter() - t0, 1e-7))))
        for _ in range(repeats):
            for k, f in fns.items():
                t0 = time.process_time()
                for _ in range(calls[k]):
                    f()
                best[k] = min(best[k], (time.process_time() - t0) / calls[k])
    return best


def accuracy(impl, cases):
    if impl is None:
        return None
    try:
        with np.errstate(all="ignore"):
            return max(worst(impl(inp), truths) for inp, truths in cases)
    except Exception:  # noqa: BLE001  (e.g. SciPy refusing an input)
        return math.nan


def fmt_ulp(v):
    if v is None:
        return "—"
    if math.isnan(v):
        return "error"
    if math.isinf(v):
        return "inf"
    return f"{v:.2g}" if v >= 100 else f"{v:.1f}"


def main():
    pin_heap(__file__, sys.argv[1:])
    copy = lambda: np.copy(X)  # noqa: E731
    print(f"NumPy {np.__version__}, SciPy {sp.__name__ and __import__('scipy').__version__}, "
          f"PyTorch {'not installed' if torch is None else torch.__version__}; "
          f"x: (1000, 1000) float64 along the last axis; {describe()}\n")
    print("| function | time / naive | time / np.copy | ulp ours | ulp naive | ulp max-shifted | ulp SciPy | ulp PyTorch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in ROWS_SPEC:
        t = time_interleaved({"ours": row["ours"], "naive": row["naive"], "copy": copy})
        if row["acc"] is None:
            accs = ["exact"] + ["—"] * 4
        else:
            accs = [fmt_ulp(accuracy(row["impl"].get(k), row["acc"]))
                    for k in ("ours", "naive", "shifted", "scipy", "torch")]
        print(f"| {row['name']} | {t['ours'] / t['naive']:.2f} | {t['ours'] / t['copy']:.1f} | "
              + " | ".join(accs) + " |")
    print("\nNaive formulas timed:")
    for name, text in NAIVE_TEXT.items():
        print(f"- {name}: `{text}`")


if __name__ == "__main__":
    main()
