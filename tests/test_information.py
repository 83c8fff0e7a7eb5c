"""entropy, cross_entropy, kl_divergence, nll, binary_cross_entropy_with_logits and
cross_entropy_grad, against mpmath; properties with hypothesis; every error message."""
from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from activations.along_axis import log_softmax, softmax
from activations.information import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_grad,
    entropy,
    kl_divergence,
    nll,
)
from oracle import ulp_error

pytestmark = pytest.mark.filterwarnings("error")
mpmath.mp.dps = 50
RNG = np.random.default_rng(20240612)
MAX_ULP = 4.0


@pytest.fixture(autouse=True)
def _raise_on_fp_errors():
    with np.errstate(all="raise"):
        yield


def M(v):
    return mpmath.mpf(float(v))


def ulp(got, truth, dtype=np.float64):
    with np.errstate(all="ignore"):  # the oracle's own np.spacing of subnormals
        return ulp_error(got, truth, dtype)


def H_exact(p):
    return -mpmath.fsum(M(a) * mpmath.log(M(a)) for a in p if a > 0)


def KL_exact(p, q):
    """sum p log(p/q) - p + q: the definition used (equal to D for normalised p, q)."""
    if any(a > 0 and b == 0 for a, b in zip(p, q)):
        return mpmath.inf
    return mpmath.fsum(M(a) * mpmath.log(M(a) / M(b)) - M(a) + M(b) if a > 0 else M(b)
                       for a, b in zip(p, q))


def CE_exact(p, q):
    if any(a > 0 and b == 0 for a, b in zip(p, q)):
        return mpmath.inf
    return -mpmath.fsum(M(a) * mpmath.log(M(b)) for a, b in zip(p, q) if a > 0)


def exact_softmax(x):
    """(p, -log p) of softmax(x) in mpmath; -log p_t = log1p(S') - (x_t - max)."""
    z = [M(v) for v in x]
    k = max(range(len(z)), key=lambda i: z[i])
    e = [mpmath.exp(v - z[k]) for v in z]
    rest = mpmath.fsum(e[:k] + e[k + 1:])
    return [v / (1 + rest) for v in e], [mpmath.log1p(rest) - (v - z[k]) for v in z]


def lse_minus(x, t):
    return exact_softmax(x)[1][t]


def normalised(v):
    v = np.asarray(v, dtype=np.float64)
    return v / v.sum()


def tiny_dist(n):
    return normalised(np.concatenate([[1.0], 10.0 ** RNG.uniform(-300, -20, n - 1)]))


PAIRS = {
    "dirichlet(1)": [(RNG.dirichlet(np.ones(40)), RNG.dirichlet(np.ones(40))) for _ in range(6)],
    "dirichlet(30)": [(RNG.dirichlet(30 * np.ones(40)), RNG.dirichlet(30 * np.ones(40))) for _ in range(6)],
    "dirichlet(0.05)": [(RNG.dirichlet(0.05 * np.ones(40)), RNG.dirichlet(0.05 * np.ones(40)))
                        for _ in range(6)],
    "nearly equal": [(p, normalised(p * (1 + RNG.normal(0, 1e-5, 30))))
                     for p in (RNG.dirichlet(np.ones(30)) for _ in range(6))],
    "tiny probabilities": [(tiny_dist(10), tiny_dist(10)) for _ in range(6)],
    "ratios 1/4..4": [(p, normalised(p * RNG.uniform(0.25, 4, 30)))
                      for p in (RNG.dirichlet(np.ones(30)) for _ in range(6))],
    "with zeros": [(normalised([0.0, 1.0, 2.0, 0.0]), normalised([1.0, 1.0, 0.5, 0.0]))],
    "long": [(RNG.dirichlet(np.ones(3000)), RNG.dirichlet(np.ones(3000)))],
}


# --- accuracy -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PAIRS))
def test_entropy_kl_cross_entropy_within_a_few_ulp(name):
    for p, q in PAIRS[name]:
        assert ulp(entropy(p), H_exact(p)) <= MAX_ULP
        assert ulp(kl_divergence(p, q), KL_exact(p, q)) <= MAX_ULP
        assert ulp(cross_entropy(q, p, from_logits=False), CE_exact(p, q)) <= MAX_ULP


def test_kl_near_q_equal_p_where_scipy_fails():
    p = normalised(RNG.uniform(1, 2, 50))
    q = normalised(p * (1 + RNG.normal(0, 1e-6, 50)))
    truth = KL_exact(p, q)
    assert ulp(kl_divergence(p, q), truth) <= MAX_ULP
    assert ulp(np.sum(scipy.special.kl_div(p, q)), truth) > 1e5  # the cancellation we avoid


def test_batches_along_either_axis_and_bits():
    P = RNG.dirichlet(np.ones(20), 5)
    Q = RNG.dirichlet(np.ones(20), 5)
    for axis, (A, B) in [(-1, (P, Q)), (0, (P.T.copy(), Q.T.copy()))]:
        h, d = entropy(A, axis=axis), kl_divergence(A, B, axis=axis)
        h2, d2 = entropy(A, base=2, axis=axis), kl_divergence(A, B, base=2, axis=axis)
        c = cross_entropy(B, A, from_logits=False, axis=axis, reduction="none")
        for i in range(5):
            assert ulp(h[i], H_exact(P[i])) <= MAX_ULP
            assert ulp(d[i], KL_exact(P[i], Q[i])) <= MAX_ULP
            assert ulp(h2[i], H_exact(P[i]) / mpmath.log(2)) <= MAX_ULP
            assert ulp(d2[i], KL_exact(P[i], Q[i]) / mpmath.log(2)) <= MAX_ULP
            assert ulp(c[i], CE_exact(P[i], Q[i])) <= MAX_ULP


LOGITS = [[40.0, 0.0], [1000.0, 1001.0, 1002.0], [0.0, -50.0, -50.0], [1e-300, 0.0],
          [-1000.0, -1000.0], list(RNG.normal(0, 10, 10)), list(RNG.normal(0, 10, 500))]


@pytest.mark.parametrize("x", LOGITS)
def test_cross_entropy_from_logits_per_example(x):
    n = len(x)
    p, nlp = exact_softmax(x)
    for t in sorted({0, n - 1, int(np.argmax(x)), int(np.argmin(x))}):
        assert ulp(cross_entropy(x, t), nlp[t]) <= MAX_ULP
        onehot = np.eye(n)[t]
        assert ulp(cross_entropy(x, onehot), nlp[t]) <= MAX_ULP
        g = cross_entropy_grad(x, t)
        assert max(ulp(g[j], p[j] - (j == t)) for j in range(n)) <= MAX_ULP


def test_cross_entropy_40_0_is_not_zero_like_pytorch():
    assert ulp(cross_entropy([[40.0, 0.0]], [0]), mpmath.log1p(mpmath.exp(-40))) <= 1
    assert cross_entropy_grad([40.0, 0.0], 0)[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15)


def test_reductions_and_batches():
    X = RNG.normal(0, 3, (7, 5))
    t = RNG.integers(0, 5, 7)
    per = cross_entropy(X, t, reduction="none")
    assert per.shape == (7,)
    for i in range(7):
        assert ulp(per[i], lse_minus(X[i], t[i])) <= MAX_ULP
    total = mpmath.fsum(lse_minus(X[i], t[i]) for i in range(7))
    assert ulp(cross_entropy(X, t, reduction="sum"), total) <= MAX_ULP
    assert ulp(cross_entropy(X, t), total / 7) <= MAX_ULP
    # the class axis first (PyTorch's dim=0 for an unbatched (C, d) input)
    assert np.allclose(cross_entropy(X.T, t, axis=0, reduction="none"), per, rtol=1e-15, atol=0)
    # higher-dimensional targets: (N, d, C) logits, (N, d) classes
    X3 = RNG.normal(0, 1, (2, 3, 4))
    t3 = RNG.integers(0, 4, (2, 3))
    assert cross_entropy(X3, t3, reduction="none").shape == (2, 3)
    assert np.allclose(cross_entropy(X3, t3, reduction="none"),
                       -np.take_along_axis(log_softmax(X3), t3[..., None], -1)[..., 0], rtol=1e-15)


def test_nll_is_exact_gather_and_cross_entropy_is_nll_of_log_softmax():
    lp = np.array([[-0.1, -2.4], [-1.2, -0.4], [-3.0, -0.05]])
    t = np.array([0, 1, 1])
    assert np.array_equal(nll(lp, t, reduction="none"), [0.1, 0.4, 0.05])
    assert nll(lp, t, reduction="sum") == 0.1 + 0.4 + 0.05
    assert nll(lp, t) == pytest.approx((0.1 + 0.4 + 0.05) / 3, rel=1e-16)
    assert np.array_equal(nll(lp.T, t, axis=0, reduction="none"), nll(lp, t, reduction="none"))
    L3 = RNG.normal(0, 2, (2, 5, 3))  # classes on the middle axis, as PyTorch's (N, C, d)
    t3 = RNG.integers(0, 5, (2, 3))
    want = [[-L3[i, t3[i, j], j] for j in range(3)] for i in range(2)]
    assert np.array_equal(nll(L3, t3, axis=1, reduction="none"), want)
    X = RNG.normal(0, 2, (6, 4))
    t = RNG.integers(0, 4, 6)
    assert np.allclose(nll(log_softmax(X), t, reduction="none"), cross_entropy(X, t, reduction="none"),
                       rtol=4e-16, atol=0)


def bce_exact(x, y, w=1.0):
    x, y, w = M(x), M(y), M(w)
    sp = lambda v: mpmath.log1p(mpmath.exp(v)) if v < 0 else v + mpmath.log1p(mpmath.exp(-v))  # noqa: E731
    return w * y * sp(-x) + (1 - y) * sp(x)


@pytest.mark.parametrize("x", [-800.0, -40.0, -1.0, -1e-10, 0.0, 3e-8, 2.5, 36.0, 100.0, 800.0])
@pytest.mark.parametrize("y", [0.0, 1e-12, 0.3, 0.5, 0.9999999, 1.0])
def test_bce_with_logits_elementwise(x, y):
    got = binary_cross_entropy_with_logits([x], [y], reduction="none")[0]
    assert ulp(got, bce_exact(x, y)) <= MAX_ULP
    got = binary_cross_entropy_with_logits([x], [y], reduction="none", pos_weight=[2.5])[0]
    assert ulp(got, bce_exact(x, y, 2.5)) <= MAX_ULP


def test_bce_reductions_pos_weight_broadcast_and_infinities():
    X = RNG.normal(0, 3, (4, 3))
    Y = RNG.uniform(0, 1, (4, 3))
    w = np.array([1.0, 2.0, 0.5])
    per = binary_cross_entropy_with_logits(X, Y, reduction="none", pos_weight=w)
    assert per.shape == (4, 3)
    exact = [bce_exact(X[i, j], Y[i, j], w[j]) for i in range(4) for j in range(3)]
    assert max(ulp(a, b) for a, b in zip(per.ravel(), exact)) <= MAX_ULP
    assert ulp(binary_cross_entropy_with_logits(X, Y, pos_weight=w), mpmath.fsum(exact) / 12) <= MAX_ULP
    assert ulp(binary_cross_entropy_with_logits(X, Y, reduction="sum", pos_weight=w), mpmath.fsum(exact)) <= MAX_ULP
    out = binary_cross_entropy_with_logits([np.inf, -np.inf, np.inf], [1.0, 0.0, 0.0], reduction="none")
    assert np.array_equal(out, [0.0, 0.0, np.inf])


# --- properties ----------------------------------------------------------------------------

dists = st.lists(st.floats(1e-6, 1.0), min_size=1, max_size=25).map(normalised)


@settings(database=None, derandomize=True, max_examples=80, deadline=None)
@given(dists)
def test_entropy_bounds(p):
    h = entropy(p)
    assert 0 <= h <= np.log(len(p)) * (1 + 4e-16) + 1e-300


@settings(database=None, derandomize=True, max_examples=40, deadline=None)
@given(st.integers(1, 5000))
def test_entropy_of_uniform_is_log_n(n):
    p = np.full(n, 1.0 / n)
    assert ulp(entropy(p), -mpmath.fsum([M(1.0 / n) * mpmath.log(M(1.0 / n))] * n)) <= MAX_ULP
    assert entropy(p) == pytest.approx(np.log(n), rel=1e-15, abs=1e-300)


@settings(database=None, derandomize=True, max_examples=80, deadline=None)
@given(st.integers(2, 25).flatmap(lambda n: st.tuples(
    st.lists(st.floats(1e-6, 1.0), min_size=n, max_size=n),
    st.lists(st.floats(1e-6, 1.0), min_size=n, max_size=n))))
def test_kl_nonnegative_zero_iff_equal_and_ce_is_h_plus_kl(pq):
    p, q = normalised(pq[0]), normalised(pq[1])
    d = kl_divergence(p, q)
    assert d >= 0
    assert kl_divergence(p, p) == 0.0
    if not np.array_equal(p, q):
        assert d > 0
    ce = cross_entropy(q, p, from_logits=False)
    rhs = entropy(p) + d
    assert abs(ce - rhs) <= 8 * np.spacing(ce) + abs(np.sum(q) - np.sum(p)) + 1e-300


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(st.lists(st.floats(-30, 30), min_size=2, max_size=12), st.data())
def test_one_hot_target_equals_class_index_target(xs, data):
    t = data.draw(st.integers(0, len(xs) - 1))
    onehot = np.eye(len(xs))[t]
    a, b = cross_entropy(xs, t), cross_entropy(xs, onehot)
    assert abs(a - b) <= np.spacing(a)
    assert np.array_equal(cross_entropy_grad(xs, t), cross_entropy_grad(xs, onehot))


@settings(database=None, derandomize=True, max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=8), st.data())
def test_gradient_matches_finite_differences(xs, data):
    x = np.array(xs)
    soft = data.draw(st.booleans())
    y = softmax(np.linspace(0, 1, len(x))) if soft else data.draw(st.integers(0, len(x) - 1))
    g = cross_entropy_grad(x, y)
    h = 1e-6
    for j in range(len(x)):
        e = np.zeros_like(x)
        e[j] = h
        num = (cross_entropy(x + e, y, reduction="sum") - cross_entropy(x - e, y, reduction="sum")) / (2 * h)
        assert abs(g[j] - num) <= 1e-8
    assert abs(np.sum(g)) <= 1e-15


def test_gradient_against_mpmath_diff():
    x = [0.3, -1.2, 2.0]
    for t in range(3):
        g = cross_entropy_grad(x, t)
        for j in range(3):
            def loss(v, j=j):
                z = [mpmath.mpf(a) for a in x]
                z[j] = v
                return mpmath.log(mpmath.fsum(mpmath.exp(a) for a in z)) - z[t]
            assert ulp(g[j], mpmath.diff(loss, mpmath.mpf(x[j]))) <= MAX_ULP


def test_gradient_mean_scaling_documented():
    X = RNG.normal(0, 1, (5, 3))
    t = RNG.integers(0, 3, 5)
    g = cross_entropy_grad(X, t)
    h = 1e-6
    e = np.zeros_like(X)
    e[2, 1] = h
    num = (cross_entropy(X + e, t) - cross_entropy(X - e, t)) / (2 * h)
    assert abs(g[2, 1] / 5 - num) <= 1e-9


# --- dtype, shape, scalar, mutation ------------------------------------------------------------

def test_dtypes_and_scalars():
    p32 = np.array([0.25, 0.75], dtype=np.float32)
    assert isinstance(entropy(p32), np.float32)
    assert isinstance(entropy([0.25, 0.75]), np.float64)
    assert isinstance(entropy([0, 1]), np.float64) and entropy([0, 1]) == 0.0
    assert entropy(np.ones((3, 2)) / 2).shape == (3,)
    assert isinstance(kl_divergence(p32, p32), np.float32)
    assert isinstance(cross_entropy(np.ones((2, 3), np.float32), [0, 1]), np.float32)
    assert isinstance(cross_entropy([1.0, 2.0], 1), np.float64)
    assert cross_entropy([1.0, 2.0], 1, reduction="none").shape == ()
    assert cross_entropy_grad(np.ones((2, 3), np.float32), [0, 1]).dtype == np.float32
    assert binary_cross_entropy_with_logits(np.zeros(3, np.float32), np.ones(3, np.float32)).dtype == np.float32
    assert nll(np.zeros((2, 3), np.float32), [0, 2]).dtype == np.float32
    assert ulp(entropy(p32), H_exact(p32), np.float32) <= 1
    assert cross_entropy(np.ones((2, 3)), np.array([0.0, 2.0])) == pytest.approx(np.log(3))  # integral floats
    assert cross_entropy(np.zeros((0, 3)), np.zeros(0, int), reduction="sum") == 0.0
    assert cross_entropy(np.zeros((0, 3)), np.zeros(0, int), reduction="none").shape == (0,)


def test_inputs_are_never_modified():
    p = np.array([0.2, 0.0, 0.8])
    q = np.array([0.5, 0.25, 0.25])
    x = np.array([[1.0, -2.0, 3.0], [1e3, 0.0, -1e3]])
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])
    t = np.array([2, 0])
    w = np.array([1.0, 2.0, 3.0])
    args = [p, q, x, y, t, w]
    before = [a.copy() for a in args]
    entropy(p), kl_divergence(p, q), kl_divergence(q, p), cross_entropy(q, p, from_logits=False)
    cross_entropy(x, t), cross_entropy(x, y), cross_entropy_grad(x, t), cross_entropy_grad(x, y)
    nll(x, t), binary_cross_entropy_with_logits(x, np.abs(y), pos_weight=w)
    assert all(np.array_equal(a, b) for a, b in zip(args, before))


def test_zero_and_infinite_terms():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)
    assert cross_entropy([1.0, 0.0], [0.5, 0.5], from_logits=False) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0], from_logits=False) == pytest.approx(np.log(2), rel=1e-15)
    assert cross_entropy([-np.inf, 0.0], [0.0, 1.0]) == 0.0  # 0 * log 0 = 0
    assert cross_entropy([-np.inf, 0.0], 0) == np.inf
    assert np.isnan(cross_entropy([np.nan, 0.0], 0))
    # q/p beyond the exponent range
    p, q = np.array([1e-320, 1.0 - 1e-320]), np.array([0.5, 0.5])
    assert ulp(kl_divergence(p, q), KL_exact(p, q)) <= MAX_ULP
    assert ulp(kl_divergence(q, p), KL_exact(q, p)) <= MAX_ULP


# --- errors ------------------------------------------------------------------------------------

FUNCS_P = [("entropy", lambda p: entropy(p)),
           ("kl_divergence", lambda p: kl_divergence(p, [0.5, 0.5])),
           ("kl_divergence", lambda p: kl_divergence([0.5, 0.5], p)),
           ("cross_entropy", lambda p: cross_entropy(p, [1.0, 0.0], from_logits=False)),
           ("cross_entropy", lambda p: cross_entropy([0.1, 0.9], p, from_logits=False)),
           ("cross_entropy", lambda p: cross_entropy([1.0, 2.0], p)),
           ("cross_entropy_grad", lambda p: cross_entropy_grad([1.0, 2.0], p))]


@pytest.mark.parametrize("fname, f", FUNCS_P)
@pytest.mark.parametrize("bad, msg", [([-0.5, 1.5], "probabilities must be >= 0"),
                                      ([0.5, 0.6], "must sum to 1"),
                                      ([0.5, 0.5 + 1e-7], "must sum to 1"),
                                      ([np.nan, 1.0], "contains NaN"),
                                      ([np.inf, 0.0], "must sum to 1")])
def test_bad_probabilities(fname, f, bad, msg):
    with pytest.raises(ValueError, match=f"^{fname}: .*{msg}"):
        f(bad)


def test_sum_tolerance_is_sqrt_eps_of_the_dtype():
    entropy([0.5, 0.5 + 1e-9])  # float64: |sum - 1| <= 1.5e-8
    entropy(np.array([0.5, 0.5 + 1e-4], dtype=np.float32))  # float32: <= 3.5e-4
    with pytest.raises(ValueError, match=r"^entropy: p must sum to 1 along axis 0 \(\|sum - 1\| <= 1.5e-08\)"):
        entropy([0.5, 0.5 + 1e-7])
    with pytest.raises(ValueError, match="^entropy: p must sum to 1"):
        entropy(np.array([0.5, 0.5 + 1e-3], dtype=np.float32))


@pytest.mark.parametrize("f", [entropy, lambda p: kl_divergence(p, p),
                               lambda p: cross_entropy(p, p, from_logits=False)])
def test_empty_distribution_is_an_error(f):
    with pytest.raises(ValueError, match="empty along axis"):
        f(np.zeros((2, 0)))


def test_shape_errors():
    with pytest.raises(ValueError, match="^kl_divergence: p and q must have the same shape"):
        kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="^cross_entropy: target shape"):
        cross_entropy(np.ones((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="^cross_entropy_grad: target shape"):
        cross_entropy_grad(np.ones((2, 3)), np.ones((3, 2)) / 2)
    with pytest.raises(ValueError, match="^nll: class-index target must have shape"):
        nll(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: target must have the shape"):
        binary_cross_entropy_with_logits([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: pos_weight of shape"):
        binary_cross_entropy_with_logits(np.zeros((2, 3)), np.zeros((2, 3)), pos_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="^cross_entropy: input is empty along axis"):
        cross_entropy(np.zeros((2, 0)), [0, 0])


@pytest.mark.parametrize("f, fname", [(lambda t: cross_entropy(np.zeros((2, 3)), t), "cross_entropy"),
                                      (lambda t: nll(np.zeros((2, 3)), t), "nll"),
                                      (lambda t: cross_entropy_grad(np.zeros((2, 3)), t), "cross_entropy_grad")])
@pytest.mark.parametrize("t, msg", [([0, 3], r"class index 3 out of range \[0, 3\)"),
                                    ([-1, 0], r"class index -1 out of range"),
                                    ([0.5, 1.0], "class indices must be integers"),
                                    ([np.nan, 1.0], "class indices must be integers"),
                                    (np.array([True, False]), "class indices must be integers")])
def test_bad_class_indices(f, fname, t, msg):
    with pytest.raises(ValueError, match=f"^{fname}: {msg}"):
        f(t)


@pytest.mark.parametrize("f, fname", [(lambda r: cross_entropy([1.0, 2.0], 0, reduction=r), "cross_entropy"),
                                      (lambda r: nll([-1.0, -2.0], 0, reduction=r), "nll"),
                                      (lambda r: binary_cross_entropy_with_logits([1.0], [1.0], reduction=r),
                                       "binary_cross_entropy_with_logits")])
@pytest.mark.parametrize("r", ["avg", "MEAN", None, 1])
def test_bad_reduction(f, fname, r):
    with pytest.raises(ValueError, match=f"^{fname}: reduction must be 'mean', 'sum' or 'none'"):
        f(r)


def test_mean_over_zero_examples_is_an_error():
    with pytest.raises(ValueError, match="^cross_entropy: reduction='mean' over zero examples"):
        cross_entropy(np.zeros((0, 3)), np.zeros(0, int))
    with pytest.raises(ValueError, match="^nll: reduction='mean' over zero examples"):
        nll(np.zeros((0, 3)), np.zeros(0, int))
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: reduction='mean' over zero"):
        binary_cross_entropy_with_logits(np.zeros(0), np.zeros(0))


@pytest.mark.parametrize("f, fname", [(lambda b: entropy([0.5, 0.5], base=b), "entropy"),
                                      (lambda b: kl_divergence([0.5, 0.5], [0.5, 0.5], base=b), "kl_divergence"),
                                      (lambda b: cross_entropy([1.0, 2.0], 0, base=b), "cross_entropy")])
@pytest.mark.parametrize("b, exc, msg", [(1, ValueError, "base must be > 0 and != 1"),
                                         (0, ValueError, "base must be > 0"),
                                         (-2.0, ValueError, "base must be > 0"),
                                         (np.nan, ValueError, "base must be finite"),
                                         (np.inf, ValueError, "base must be finite"),
                                         ("2", TypeError, "base must be a real number")])
def test_bad_base(f, fname, b, exc, msg):
    with pytest.raises(exc, match=f"^{fname}: {msg}"):
        f(b)


def test_bad_bce_inputs():
    f = binary_cross_entropy_with_logits
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: target must be in \\[0, 1\\]"):
        f([1.0, 2.0], [0.5, 1.5])
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: target must be in \\[0, 1\\]"):
        f([1.0, 2.0], [0.5, np.nan])
    with pytest.raises(ValueError, match="^binary_cross_entropy_with_logits: pos_weight must be finite and >= 0"):
        f([1.0, 2.0], [0.5, 1.0], pos_weight=[-1.0])
    with pytest.raises(TypeError, match="^binary_cross_entropy_with_logits: pos_weight"):
        f([1.0, 2.0], [0.5, 1.0], pos_weight="a")


@pytest.mark.parametrize("f, fname", [(lambda a: entropy(a), "entropy"),
                                      (lambda a: kl_divergence(a, [0.5, 0.5]), "kl_divergence"),
                                      (lambda a: cross_entropy(a, 0), "cross_entropy"),
                                      (lambda a: cross_entropy([1.0, 2.0], a), "cross_entropy"),
                                      (lambda a: nll(a, 0), "nll"),
                                      (lambda a: nll([-1.0, -2.0], a), "nll"),
                                      (lambda a: binary_cross_entropy_with_logits(a, [1.0]), "binary_cross_entropy_with_logits"),
                                      (lambda a: cross_entropy_grad(a, 0), "cross_entropy_grad")])
@pytest.mark.parametrize("bad", [None, "abc", [1 + 2j], np.array([1, 2], dtype=object), [[1, 2], [3]]])
def test_type_errors_name_the_function(f, fname, bad):
    with pytest.raises(TypeError, match=f"^{fname}: "):
        f(bad)


@pytest.mark.parametrize("f, fname", [(lambda ax: entropy([0.5, 0.5], axis=ax), "entropy"),
                                      (lambda ax: kl_divergence([0.5, 0.5], [0.5, 0.5], axis=ax), "kl_divergence"),
                                      (lambda ax: cross_entropy([1.0, 2.0], 0, axis=ax), "cross_entropy"),
                                      (lambda ax: nll([1.0, 2.0], 0, axis=ax), "nll"),
                                      (lambda ax: cross_entropy_grad([1.0, 2.0], 0, axis=ax), "cross_entropy_grad")])
def test_axis_out_of_range(f, fname):
    with pytest.raises(np.exceptions.AxisError, match=f"^{fname}: axis 1 is out of bounds"):
        f(1)


def test_no_warnings_on_edge_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entropy([1.0, 0.0, 0.0]), entropy([1e-320, 1.0])
        kl_divergence([1.0, 0.0], [0.0, 1.0]), kl_divergence([1e-320, 1.0], [1.0, 1e-320])
        cross_entropy([1e308, -1e308], 1), cross_entropy([-np.inf, np.inf], 0), cross_entropy_grad([np.nan, 1.0], 0)
        binary_cross_entropy_with_logits([1e308, -1e308, np.nan], [0.0, 1.0, 0.5])


def test_docstring_examples_print_what_they_claim():
    import doctest

    import activations.information as module
    assert doctest.testmod(module).failed == 0


def test_entropy_of_a_certain_outcome_is_positive_zero():
    from activations.information import entropy

    for base in (None, 2):
        h = entropy([0.0, 1.0], base=base)
        assert h == 0 and not np.signbit(h)


def test_kl_divergence_blocks_give_the_same_bits():
    from activations import information as I

    rng = np.random.default_rng(11)
    p = rng.random((7, 20000)); p /= p.sum(axis=1, keepdims=True)
    q = rng.random((7, 20000)); q /= q.sum(axis=1, keepdims=True)
    q[0, :50] = p[0, :50]  # terms near q = p exercise the table path
    q[0] /= q[0].sum()
    np.testing.assert_array_equal(I._kl_terms_blocked(p, q, block=4096), I._kl_terms(p, q))
    np.testing.assert_array_equal(I.kl_divergence(p, q), np.array([I.kl_divergence(r, s) for r, s in zip(p, q)]))


def test_kl_tables_are_correctly_rounded_and_round_towards_one():
    from activations import information as I

    g, big_a, base = I._kl_tables()
    assert np.isnan(g[0]) and np.isnan(g[-1]) and np.isnan(big_a[0]) and np.isnan(big_a[-1])
    cells = np.arange(1, g.size - 1)
    starts = ((cells.astype(np.int64) << I._KL_SHIFT) + int(base)).view(np.float64)  # each cell's lower end
    width = np.spacing(starts) * 2.0 ** (52 - I._KL_BITS)
    assert starts[0] == 2.0 ** -I._KL_RANGE and starts[-1] + width[-1] == 2.0 ** I._KL_RANGE
    expect = np.where(starts < 1, starts + width, starts)  # the end nearer to 1
    np.testing.assert_array_equal(big_a[1:-1], expect)
    near_one = int(np.argmin(np.abs(big_a[1:-1] - 1))) + 1
    for i in RNG.choice(cells, 300, replace=False).tolist() + [1, g.size - 2, near_one - 1, near_one]:
        a = M(big_a[i]) - 1
        assert g[i] == float(a - mpmath.log1p(a)), i


def kl_term_exact(p, q):
    return float(M(p) * mpmath.log(M(p) / M(q)) - M(p) + M(q))


def test_kl_terms_within_three_ulp_across_cells_edges_and_the_far_range():
    from activations import information as I

    n = 1500
    p = 10.0 ** RNG.uniform(-12, 0, n)
    g, big_a, base = I._kl_tables()
    edges = big_a[RNG.integers(1, g.size - 1, n // 3)]  # ratios just on either side of a cell end
    ratio = np.concatenate([
        np.exp(RNG.normal(0, 2, n // 3)), 1 + RNG.normal(0, 1e-4, n // 6),
        edges[: n // 6] * (1 + RNG.uniform(-4e-16, 4e-16, n // 6)), 10.0 ** RNG.uniform(-12, 12, n // 3)])
    ratio = np.concatenate([ratio, edges[n // 6:]])[:n]
    q = p * ratio
    t = I._kl_terms(p, q)
    truth = np.array([kl_term_exact(a, b) for a, b in zip(p, q)])
    ulps = np.abs(t - truth) / np.spacing(truth)
    assert ulps.max() <= 3.0, (ulps.max(), q[np.argmax(ulps)] / p[np.argmax(ulps)])


def test_kl_terms_special_values():
    from activations import information as I

    p = np.array([0.0, 0.0, 0.5, 1e-320, 0.5, 1e-300, 0.3])
    q = np.array([0.2, 0.0, 0.0, 0.5, 1e-320, 0.3, 1e-300])
    t = I._kl_terms(p, q)
    assert t[0] == 0.2 and t[1] == 0.0 and t[2] == np.inf
    for i in range(3, 7):
        assert abs(t[i] - kl_term_exact(p[i], q[i])) <= 2 * np.spacing(t[i]), i


def test_kl_divergence_fused_and_general_paths_agree_and_validate():
    P = RNG.dirichlet(np.ones(300), 40)
    Q = RNG.dirichlet(np.ones(300), 40)
    Q[:5] = P[:5] * (1 + RNG.normal(0, 1e-6, (5, 300)))
    Q[:5] /= Q[:5].sum(axis=1, keepdims=True)
    P[6, :10] = 0.0
    P[6] /= P[6].sum()
    fused = kl_divergence(P, Q)
    general = kl_divergence(P.T.copy(), Q.T.copy(), axis=0)
    for i in (0, 1, 6, 7, 39):
        truth = KL_exact(P[i], Q[i])
        assert ulp(fused[i], truth) <= 2.5 and ulp(general[i], truth) <= 2.5
    # the fast checks defer to the exact ones: a sum off by more than tol/2 but within tol passes
    p = np.full(4, 0.25) + np.array([1e-8, 0, 0, 0])
    assert kl_divergence(p, np.full(4, 0.25)) >= 0
    # equal negative entries leave every term finite: the minimum check must catch them
    bad = np.array([0.6, 0.6, -0.2])
    with pytest.raises(ValueError, match="^kl_divergence: probabilities must be >= 0"):
        kl_divergence(bad, bad)
    with pytest.raises(ValueError, match="^kl_divergence: probabilities must be >= 0, got q"):
        kl_divergence([0.5, 0.5, 0.0], [0.6, 0.6, -0.2])
