"""softmax, softmin, log_softmax, logsumexp and the softmax derivatives, against mpmath.

Accuracy is checked *per element* (ulp of the exact value, mpmath at 50 digits); properties
with hypothesis; every error message; dtype, mutation and warning rules.
"""
from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from activations.along_axis import (
    log_softmax,
    logsumexp,
    softmax,
    softmax_jacobian,
    softmax_vjp,
    softmin,
)
from oracle import ulp_error

pytestmark = pytest.mark.filterwarnings("error")

RNG = np.random.default_rng(20240611)
LOGIT_SETS = {
    "1000..1002": [1000.0, 1001.0, 1002.0],
    "-1000,-1000": [-1000.0, -1000.0],
    "1e308,0": [1e308, 0.0],
    "40,0": [40.0, 0.0],
    "0,-50,-50": [0.0, -50.0, -50.0],
    "1e-300,0": [1e-300, 0.0],
    "1e308,-1e308": [1e308, -1e308],
    "-inf,0,-700": [-np.inf, 0.0, -700.0],
    "-745..": [0.0, -744.0, -745.5, -708.5],
    "ties": [3.0, 3.0, -1.0, 3.0],
    "N(0,10) n=10": RNG.normal(0, 10, 10),
    "N(0,10) n=1000": RNG.normal(0, 10, 1000),
    "-|N(0,10)|-3 n=1000": -np.abs(RNG.normal(0, 10, 1000)) - 3,
    "N(0,.01) n=1000": RNG.normal(0, 0.01, 1000),
}
TEMPERATURES = [0.5, 3.0, 0.1, 7.3]
MAX_ULP = 4.0


@pytest.fixture(autouse=True)
def _raise_on_fp_errors():
    with np.errstate(all="raise"):
        yield


# --- the oracle --------------------------------------------------------------------------

def exact(xs, T=1.0):
    """Softmax, log-softmax and logsumexp of the exact reals x/T, in mpmath.

    log p_i = (x_i - m) - log1p(S'), S' without one maximal term: log(1 + 1e-170) needs it.
    """
    mpmath.mp.dps = 50
    z = [mpmath.mpf(float(v)) / mpmath.mpf(T) for v in xs]
    finite = [v for v in z if mpmath.isfinite(v)]
    k = max(range(len(z)), key=lambda i: z[i])
    m = z[k]
    e = [mpmath.exp(v - m) if mpmath.isfinite(v) else mpmath.mpf(0) for v in z]
    rest = mpmath.fsum(e[:k] + e[k + 1:])
    L = mpmath.log1p(rest)
    assert finite
    return ([v / (1 + rest) for v in e],
            [(v - m) - L if mpmath.isfinite(v) else mpmath.mpf("-inf") for v in z],
            m + L)


def ulp(got, truth, dtype=np.float64):
    """ulp distance; a truth beyond the dtype's range must come out as the infinity."""
    big = float(np.finfo(dtype).max)
    if mpmath.isfinite(truth) and abs(truth) > big:
        return 0.0 if got == (np.inf if truth > 0 else -np.inf) else np.inf
    with np.errstate(all="ignore"):  # the oracle's own np.spacing of subnormals
        return ulp_error(got, truth, dtype)


def worst(got, truths, dtype=np.float64):
    return max(ulp(g, t, dtype) for g, t in zip(np.ravel(got), truths))


# --- per-element accuracy ----------------------------------------------------------------

@pytest.mark.parametrize("name", list(LOGIT_SETS))
def test_accuracy_per_element_float64(name):
    x = np.asarray(LOGIT_SETS[name], dtype=np.float64)
    p, lp, lse = exact(x)
    assert worst(softmax(x), p) <= MAX_ULP
    assert worst(log_softmax(x), lp) <= MAX_ULP
    assert ulp(logsumexp(x), lse) <= MAX_ULP
    assert worst(softmin(-x), p) <= MAX_ULP
    if np.isfinite(x).all():  # softmin turns -inf into +inf: an undefined slice
        assert worst(softmin(x), exact(-x)[0]) <= MAX_ULP


@pytest.mark.parametrize("T", TEMPERATURES)
@pytest.mark.parametrize("name", ["1000..1002", "40,0", "0,-50,-50", "1e-300,0", "1e308,0",
                                  "-inf,0,-700", "N(0,10) n=10", "N(0,10) n=1000"])
def test_accuracy_with_temperature_is_relative_to_exact_x_over_T(name, T):
    x = np.asarray(LOGIT_SETS[name], dtype=np.float64)
    p, lp, _ = exact(x, T)
    assert worst(softmax(x, temperature=T), p) <= MAX_ULP
    assert worst(log_softmax(x, temperature=T), lp) <= MAX_ULP


@pytest.mark.parametrize("axis", [0, 1])
def test_accuracy_of_batches_along_either_axis(axis):
    X = RNG.normal(0, 10, (4, 300))
    X[1] -= 800  # a shifted slice next to unshifted ones
    X[2, :5] = -np.inf
    if axis == 0:
        X = np.ascontiguousarray(X.T)
    P, LP, LSE = softmax(X, axis), log_softmax(X, axis), logsumexp(X, axis)
    P3 = softmax(X, axis, temperature=3.0)
    for i in range(4):
        sl = (slice(None), i) if axis == 0 else (i, slice(None))
        p, lp, lse = exact(X[sl])
        assert worst(P[sl], p) <= MAX_ULP
        assert worst(LP[sl], lp) <= MAX_ULP
        assert ulp(LSE[i], lse) <= MAX_ULP
        assert worst(P3[sl], exact(X[sl], 3.0)[0]) <= MAX_ULP


def test_accuracy_when_many_tiny_terms_are_summed_along_axis_0():
    # S' = 999 exp(-40): NumPy adds along axis 0 sequentially (51 ulp); we must not.
    X = np.full((1000, 2), -40.0)
    X[0] = 0.0
    _, lp, lse = exact(X[:, 0])
    assert ulp(log_softmax(X, axis=0)[0, 0], lp[0]) <= MAX_ULP
    assert ulp(logsumexp(X, axis=0)[1], lse) <= MAX_ULP


@pytest.mark.parametrize("name", ["1000..1002", "40,0", "0,-50,-50", "1e-300,0", "N(0,10) n=10",
                                  "N(0,10) n=1000", "-inf,0,-700", "ties"])
def test_float32_in_float32_out_same_quality(name):
    x = np.asarray(LOGIT_SETS[name], dtype=np.float32)
    p, lp, lse = exact(x)
    for got, truth in [(softmax(x), p), (log_softmax(x), lp), (softmin(-x), p)]:
        assert got.dtype == np.float32
        assert worst(got, truth, np.float32) <= 1.0
    assert logsumexp(x).dtype == np.float32
    assert ulp(logsumexp(x), lse, np.float32) <= 1.0


def test_beats_the_max_shifted_formula_and_scipy():
    """The reason this module exists: SciPy is 1.4e11 ulp off on log_softmax([40, 0])."""
    x = np.array([40.0, 0.0])
    _, lp, _ = exact(x)
    assert worst(scipy.special.log_softmax(x), lp) > 1e10
    assert worst(log_softmax(x), lp) <= 1.0
    assert log_softmax(x)[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15)
    x = RNG.normal(0, 10, 1000)
    p, _, _ = exact(x)
    shifted = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    assert worst(shifted, p) > 10
    assert worst(softmax(x), p) <= MAX_ULP


# --- non-finite and empty input ----------------------------------------------------------

def test_minus_inf_logits_have_probability_zero():
    x = np.array([-np.inf, 0.0, 1.0])
    assert softmax(x)[0] == 0.0
    assert log_softmax(x)[0] == -np.inf
    assert np.isfinite(log_softmax(x)[1:]).all()
    assert logsumexp(x) == logsumexp(x[1:])
    assert softmin(-x)[0] == 0.0
    assert softmax(x, temperature=0.3)[0] == 0.0


@pytest.mark.parametrize("slice_, lse", [([np.nan, 0.0], np.nan), ([np.inf, 0.0], np.inf),
                                         ([-np.inf, -np.inf], -np.inf), ([np.inf, np.nan], np.nan)])
def test_undefined_slices_are_nan_without_warning_other_slices_unaffected(slice_, lse):
    X = np.array([slice_, [1.0, 2.0]])
    for f in (softmax, log_softmax):
        out = f(X)
        assert np.isnan(out[0]).all()
        assert np.array_equal(out[1], f(X[1]))
    out = logsumexp(X)
    assert (np.isnan(out[0]) and np.isnan(lse)) or out[0] == lse
    assert out[1] == logsumexp(X[1])
    assert np.isnan(softmax_jacobian(X)[0]).all()


def test_extreme_spread_needs_no_overflow_trick():
    assert np.array_equal(softmax([1e308, -1e308]), [1.0, 0.0])
    assert log_softmax([1e308, -1e308])[1] == -np.inf  # -2e308 is beyond the range
    assert np.array_equal(log_softmax([1e308, -1e308], temperature=4.0), [0.0, -5e307])
    assert np.array_equal(softmax([-1e308, 1e308], temperature=0.5), [0.0, 1.0])
    assert logsumexp([1.7e308, 1.7e308]) == 1.7e308


def test_empty_axis():
    assert softmax(np.zeros((3, 0))).shape == (3, 0)
    assert log_softmax(np.zeros((0,))).shape == (0,)
    assert softmin(np.zeros((0, 2)), axis=0).shape == (0, 2)
    assert np.array_equal(logsumexp(np.zeros((3, 0))), [-np.inf] * 3)
    assert logsumexp(np.zeros((0,))) == -np.inf
    assert logsumexp(np.zeros((0, 2)), axis=-1).shape == (0,)
    assert logsumexp(np.zeros((3, 0)), keepdims=True).shape == (3, 1)
    assert softmax_jacobian(np.zeros((2, 0))).shape == (2, 0, 0)
    assert softmax_vjp(np.zeros((2, 0)), np.zeros((2, 0))).shape == (2, 0)


# --- dtype, shape and mutation rules ------------------------------------------------------

def test_dtypes_and_shapes():
    assert softmax([1, 2, 3]).dtype == np.float64
    assert softmax(np.array([True, False])).dtype == np.float64
    assert log_softmax(np.array([1, 2], dtype=np.int8)).dtype == np.float64
    assert softmax(np.array([1, 2], dtype=np.float16)).dtype == np.float64
    assert isinstance(logsumexp([1.0, 2.0]), np.float64)
    assert isinstance(logsumexp(np.array([1.0, 2.0], dtype=np.float32)), np.float32)
    assert logsumexp(np.ones((2, 3, 4)), axis=1).shape == (2, 4)
    assert logsumexp(np.ones((2, 3, 4)), axis=1, keepdims=True).shape == (2, 1, 4)
    assert softmax(np.ones((2, 3, 4)), axis=-2).shape == (2, 3, 4)
    assert softmax_jacobian(np.ones((2, 3, 4)), axis=1).shape == (2, 4, 3, 3)
    assert softmax_vjp(np.ones(3, np.float32), np.ones(3, np.float32)).dtype == np.float32
    assert softmax_vjp(np.ones(3, np.float32), np.ones(3)).dtype == np.float64
    assert softmax_jacobian(np.ones(3, np.float32)).dtype == np.float32
    assert softmax(np.ones((2, 2)), axis=np.int64(0)).shape == (2, 2)


@pytest.mark.parametrize("f", [softmax, softmin, log_softmax, logsumexp, softmax_jacobian])
@pytest.mark.parametrize("x", [np.array([3.0, -1.0, 2.0]), np.array([1e3, -1e3, 5.0]),
                               np.array([[1.0, -np.inf], [2.0, 0.5]], dtype=np.float32),
                               np.array([1e308, 0.0, -1e308])])
def test_inputs_are_never_modified(f, x):
    before = x.copy()
    f(x)
    if f is not logsumexp and f is not softmax_jacobian:
        f(x, temperature=0.7)
        f(x, temperature=2.0)
    assert np.array_equal(x, before) and x.dtype == before.dtype


def test_vjp_does_not_modify_v():
    x, v = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    xc, vc = x.copy(), v.copy()
    softmax_vjp(x, v)
    assert np.array_equal(x, xc) and np.array_equal(v, vc)


# --- errors --------------------------------------------------------------------------------

ALL = [softmax, softmin, log_softmax, logsumexp, softmax_jacobian]


@pytest.mark.parametrize("f", ALL)
@pytest.mark.parametrize("bad", [None, "abc", [1 + 2j], np.array([1, 2], dtype=object), [[1, 2], [3]]])
def test_type_errors_name_the_function(f, bad):
    with pytest.raises(TypeError, match=f"^{f.__name__}: "):
        f(bad)


@pytest.mark.parametrize("f", [softmax, softmin, log_softmax])
@pytest.mark.parametrize("T, exc, msg", [(0.0, ValueError, "temperature must be > 0, got 0.0"),
                                         (-1.0, ValueError, "temperature must be > 0"),
                                         (np.nan, ValueError, "temperature must be finite"),
                                         (np.inf, ValueError, "temperature must be finite"),
                                         (True, TypeError, "temperature must be a real number"),
                                         ("2", TypeError, "temperature must be a real number")])
def test_bad_temperature(f, T, exc, msg):
    with pytest.raises(exc, match=f"^{f.__name__}: {msg}"):
        f([1.0, 2.0], temperature=T)


@pytest.mark.parametrize("f", ALL)
def test_axis_errors(f):
    with pytest.raises(np.exceptions.AxisError, match=f"^{f.__name__}: axis 2 is out of bounds"):
        f(np.ones((2, 2)), axis=2)
    with pytest.raises(ValueError, match=f"^{f.__name__}: axis -1 is out of bounds for array of dimension 0"):
        f(3.0)
    with pytest.raises(TypeError, match=f"^{f.__name__}: axis must be an integer"):
        f([1.0, 2.0], axis=1.0)
    with pytest.raises(TypeError, match=f"^{f.__name__}: axis must be an integer"):
        f([1.0, 2.0], axis=True)
    assert issubclass(np.exceptions.AxisError, ValueError)


def test_vjp_errors():
    with pytest.raises(ValueError, match="^softmax_vjp: v must have the shape of x"):
        softmax_vjp([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="^softmax_vjp: v must be real"):
        softmax_vjp([1.0, 2.0], [1j, 2.0])


def test_no_warnings_on_extreme_inputs():
    xs = [[1e308, -1e308], [-np.inf, 5.0], [np.nan, 1.0], [np.inf, 1.0], [-np.inf, -np.inf],
          [-745.0, 0.0], [1e-320, 0.0], [709.0, 710.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x in xs:
            for T in (1.0, 0.25, 3.0, 1e-300, 1e300):
                softmax(x, temperature=T), log_softmax(x, temperature=T), softmin(x, temperature=T)
            logsumexp(x), softmax_jacobian(x), softmax_vjp(x, [1.0, 2.0])
        for x in [[3e38, -3e38], [-np.inf, 5.0], [-104.0, 0.0], [88.0, 89.0]]:
            x32 = np.array(x, dtype=np.float32)
            softmax(x32), log_softmax(x32, temperature=0.1), logsumexp(x32)


# --- properties ------------------------------------------------------------------------------

finite_logits = st.lists(st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
                         min_size=1, max_size=30)


@settings(database=None, derandomize=True, max_examples=80, deadline=None)
@given(finite_logits, st.sampled_from([1.0, 0.5, 3.0, 0.1]))
def test_softmax_sums_to_one_within_a_few_ulp(xs, T):
    p = softmax(xs, temperature=T)
    assert abs(mpmath.fsum(p) - 1) <= 8 * 2.0**-53 * max(1, len(xs) / 4)
    assert np.all(p >= 0) and np.all(p <= 1)


dyadic_logits = st.lists(st.integers(-2**15, 2**15).map(lambda k: k / 1024), min_size=2, max_size=30)


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(dyadic_logits, st.integers(-1000, 1000))
def test_softmax_is_invariant_to_adding_a_constant(xs, c):
    x = np.array(xs)  # multiples of 1/1024 below 32: x + c is exact
    a, b = softmax(x), softmax(x + c)
    with np.errstate(all="ignore"):  # spacing of subnormal probabilities
        assert np.all(np.abs(a - b) <= 2 * MAX_ULP * np.spacing(np.maximum(a, b)))
        la, lb = log_softmax(x), log_softmax(x + c)
        assert np.all(np.abs(la - lb) <= 2 * MAX_ULP * np.spacing(np.maximum(np.abs(la), np.abs(lb))))
    assert logsumexp(x + c) == pytest.approx(logsumexp(x) + c, rel=4e-16, abs=4e-16 * (1 + abs(c)))


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(dyadic_logits)
def test_softmax_is_not_invariant_to_scaling(xs):
    x = np.array(xs)  # |x| <= 32: nothing underflows
    assume(np.ptp(x) > 0.01)
    assert np.max(np.abs(softmax(2 * x) - softmax(x)) / softmax(x)) > 1e-6


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=2, max_size=20))
def test_temperature_limits_argmax_and_uniform(xs):
    x = np.array(xs)
    top = np.sort(x)[-2:]
    assume(top[1] - top[0] > 1e-3)
    cold = softmax(x, temperature=1e-6)
    assert cold[np.argmax(x)] == 1.0 and np.sum(cold) == 1.0
    hot = softmax(x, temperature=1e12)
    assert np.allclose(hot, 1.0 / len(x), rtol=1e-9, atol=0)


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(finite_logits, st.sampled_from([1.0, 0.7, 4.0]))
def test_softmin_is_softmax_of_minus_x(xs, T):
    x = np.array(xs)
    assert np.array_equal(softmin(x, temperature=T), softmax(-x, temperature=T))


@settings(database=None, derandomize=True, max_examples=100, deadline=None)
@given(st.floats(-700, 700))
def test_sigmoid_is_two_class_softmax(t):
    p = softmax([t, 0.0])
    assert ulp(p[0], 1 / (1 + mpmath.exp(-mpmath.mpf(t)))) <= MAX_ULP
    with np.errstate(all="ignore"):
        assert abs(p[0] - scipy.special.expit(t)) <= 4 * np.spacing(p[0])


@settings(database=None, derandomize=True, max_examples=60, deadline=None)
@given(finite_logits)
def test_log_softmax_is_log_of_softmax_and_logsumexp_is_bounded(xs):
    x = np.array(xs)
    lp, p = log_softmax(x), softmax(x)
    ok = p > 1e-300  # exp(lp) inherits |lp| * 2**-53 from rounding lp
    tol = (4 * np.abs(lp[ok]) + 8) * 2.0**-53 * p[ok]
    assert np.all(np.abs(np.exp(lp[ok]) - p[ok]) <= tol)
    lse = logsumexp(x)
    assert x.max() <= lse <= x.max() + np.log(len(x)) * (1 + 1e-15) + 1e-12


def numeric_jacobian(x, h=1e-6):
    n = len(x)
    J = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        J[:, j] = (softmax(x + e) - softmax(x - e)) / (2 * h)
    return J


@settings(database=None, derandomize=True, max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=8))
def test_jacobian_matches_finite_differences_and_vjp_is_v_times_J(xs):
    x = np.array(xs)
    J = softmax_jacobian(x)
    assert np.allclose(J, numeric_jacobian(x), atol=1e-8, rtol=0)
    assert np.allclose(J, J.T, rtol=0, atol=0)
    assert np.allclose(J.sum(axis=0), 0, atol=1e-15)
    v = np.linspace(-1, 2, len(x))
    assert np.allclose(softmax_vjp(x, v), v @ J, rtol=0, atol=1e-15)


def test_jacobian_diagonal_of_a_confident_softmax_is_not_zero():
    J = softmax_jacobian([40.0, 0.0])
    p1 = mpmath.exp(-40) / (1 + mpmath.exp(-40))
    assert ulp(J[0, 0], p1 * (1 - p1)) <= MAX_ULP  # 4.2e-18, not 0
    assert ulp(J[0, 1], -p1 * (1 - p1)) <= MAX_ULP


def test_batched_jacobian_and_vjp_along_axis_0():
    X = RNG.normal(0, 2, (4, 3))
    V = RNG.normal(0, 1, (4, 3))
    J = softmax_jacobian(X, axis=0)
    G = softmax_vjp(X, V, axis=0)
    for j in range(3):
        assert np.allclose(J[j], softmax_jacobian(X[:, j]), rtol=1e-15, atol=0)
        assert np.allclose(G[:, j], V[:, j] @ J[j], rtol=0, atol=1e-15)


def test_docstring_examples_print_what_they_claim():
    import doctest

    import activations.along_axis as module
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("T", [0.7, 3.0, 0.5, 1.0])
@pytest.mark.parametrize("axis", [0, -1])
def test_large_inputs_are_evaluated_in_blocks_with_the_same_bits(T, axis, monkeypatch):
    import activations.along_axis as A

    X = np.random.default_rng(5).normal(0, 10, (80, 1000))  # 80000 elements: in blocks
    X[3] += 900.0  # a shifted slice: the exact difference x - max gives a low part
    X[4, :7] = -np.inf
    fs = (softmax, log_softmax, softmin)
    blocked = [f(X, axis, temperature=T) for f in fs]
    monkeypatch.setattr(A, "_BLOCK", 10**9)
    for f, got in zip(fs, blocked):
        np.testing.assert_array_equal(got, f(X, axis, temperature=T))


@pytest.mark.parametrize("T", [0.7, 1 / 3, 0.75, 3.0, 123.456])
@pytest.mark.parametrize("with_err", [False, True])
def test_fused_exp_of_x_over_T_matches_the_two_pass_version(T, with_err):
    import activations.along_axis as A

    rng = np.random.default_rng(11)
    h = rng.normal(0, 30, 70_001)  # three blocks, the last one short
    lo = rng.normal(0, 1, h.size) * np.spacing(h) if with_err else None
    with np.errstate(all="ignore"):
        fused = A._exp_div(h.copy(), None if lo is None else lo.copy(), T)
        q, l = A._div_exact(h.copy(), None if lo is None else lo.copy(), T)
        np.testing.assert_array_equal(fused, A._exp_corrected(q, l, False))


@pytest.mark.parametrize("T", [0.7, 1 / 3, 0.75, 10.0, 1e-5])
def test_remainder_of_x_over_T_is_recovered(T):
    from fractions import Fraction

    import activations.along_axis as A

    h = np.random.default_rng(12).normal(0, 50, 2000)
    h[:3] = [0.0, 1e-300, -7e5]
    l = h.copy()
    with np.errstate(all="ignore"):  # as in softmax: 1e-300 * T's head underflows harmlessly
        q = A._div_rem(l, None, T)
    for hi, qi, li in zip(h, q, l):
        truth = Fraction(hi) / Fraction(T) - Fraction(qi)  # what q = fl(h * fl(1/T)) missed, exactly
        assert abs(truth) <= 2 * Fraction(np.spacing(abs(qi)))
        # exp(q)(1 + l) needs l to far below ulp(q) only: the rounded q*tl limits it to ~2**-26 ulp
        assert abs(Fraction(li) - truth) <= Fraction(np.spacing(abs(qi))) * Fraction(1, 2**24) + Fraction(2.0**-1074)


def test_scratch_arrays_are_aligned_and_separate():
    from activations._checks import scratch

    arrs = scratch(4, 1001)
    for i, a in enumerate(arrs):
        assert a.shape == (1001,) and a.dtype == np.float64 and a.ctypes.data % 64 == 0
        a[:] = i
    assert [a[0] for a in arrs] == [0.0, 1.0, 2.0, 3.0] and all((a == a[0]).all() for a in arrs)
