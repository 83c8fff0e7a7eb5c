"""Tests for activations.experiments.softmax_demos, against independent computations.

The references here are written differently from the module's: softmax in mpmath as
``1 / sum_j exp(x_j - x_i)`` at 80 digits, ulp distances from tests/oracle.py, Jacobians of
polynomials known in closed form, entropies as ``-sum p log p`` in mpmath.
"""
from __future__ import annotations

import doctest
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import activations.experiments.softmax_demos as D
from activations.along_axis import softmax
from oracle import ulp_error

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


def test_doctests():
    res = doctest.testmod(D, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


def mp_softmax_other_way(x, dps=80):
    """p_i = 1 / sum_j exp(x_j - x_i): a different formula from the module's."""
    with mpmath.workdps(dps):
        xs = [mpmath.mpf(float(v)) for v in x]
        return [1 / mpmath.fsum(mpmath.exp(xj - xi) for xj in xs) for xi in xs]


# ----------------------------------------------------------------------------- naive_softmax
def test_naive_softmax_fails_exactly_where_the_chapter_says():
    with np.errstate(all="ignore"):
        assert np.all(np.isnan(D.naive_softmax([1000.0, 1001.0, 1002.0])))
        assert np.all(np.isnan(D.naive_softmax([-1000.0, -1000.0])))
        shifted = D.naive_softmax([1000.0, 1001.0, 1002.0], shift=True)
    ref = [float(p) for p in mp_softmax_other_way([0.0, 1.0, 2.0])]
    np.testing.assert_allclose(shifted, ref, rtol=1e-14)


def test_naive_softmax_warns_unless_silenced():
    with pytest.warns(RuntimeWarning):
        D.naive_softmax([1000.0, 0.0])


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(finite, min_size=1, max_size=8), st.floats(0.2, 5.0))
def test_naive_softmax_is_close_to_the_truth_on_moderate_logits(xs, T):
    x = np.array(xs)
    for shift in (False, True):
        got = D.naive_softmax(x, shift=shift, temperature=T)
        ref = np.array([float(p) for p in mp_softmax_other_way(x / T)])  # x / T: one rounding, <= 1/2 ulp
        # relative error ~ |x/T| * 2**-52 from rounding; 1e-12 is ample for |x/T| <= 250
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-300)


def test_naive_softmax_axis_and_input_untouched():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    before = x.copy()
    np.testing.assert_allclose(D.naive_softmax(x, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(D.naive_softmax(x, axis=1), softmax(x, axis=1), rtol=1e-15)
    assert np.array_equal(x, before)


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(x=[1.0], temperature=0.0), ValueError, "temperature"),
    (dict(x=[1.0], shift="yes"), TypeError, "shift"),
    (dict(x=[1.0], axis=3), ValueError, "axis"),
    (dict(x="abc"), TypeError, "x"),
])
def test_naive_softmax_errors(kwargs, err, msg):
    with pytest.raises(err, match=r"^naive_softmax: .*" + msg):
        D.naive_softmax(**kwargs)


# ----------------------------------------------------------------------------- hardmax
@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.integers(-20, 20), min_size=1, max_size=7))
def test_hardmax_is_the_zero_temperature_limit_with_ties(ints):
    x = np.array(ints, dtype=float)  # integers: distinct maxima are at least 1 apart
    hm = D.hardmax(x)
    top = x == x.max()
    np.testing.assert_array_equal(hm, np.where(top, 1.0 / top.sum(), 0.0))
    # softmax at T = 1/100 is within n * e^-100 of the limit when the gap is >= 1
    np.testing.assert_allclose(softmax(x, temperature=0.01), hm, atol=len(x) * math.exp(-100) + 1e-15)


def test_hardmax_is_piecewise_constant_and_along_axis():
    x = np.array([[1.0, 3.0, 0.0, 2.0], [5.0, 5.0, 5.0, 1.0]])
    before = x.copy()
    np.testing.assert_array_equal(D.hardmax(x), [[0, 1, 0, 0], [1 / 3, 1 / 3, 1 / 3, 0]])
    np.testing.assert_array_equal(D.hardmax(x, axis=0), [[0, 0, 0, 1], [1, 1, 1, 0]])
    assert np.array_equal(x, before)
    # a small move that does not change the argmax does not change the output
    np.testing.assert_array_equal(D.hardmax(x[0] + [0.4, -0.3, 0.2, 0.1]), D.hardmax(x[0]))


@pytest.mark.parametrize("x, err", [([1.0, np.nan], ValueError), ([np.inf, 0.0], ValueError),
                                    (np.zeros((2, 0)), ValueError), (None, TypeError)])
def test_hardmax_errors(x, err):
    with pytest.raises(err, match=r"^hardmax: "):
        D.hardmax(x)


# ----------------------------------------------------------------------------- references
@settings(max_examples=30, deadline=None, database=None)
@given(st.lists(st.floats(-800, 800, allow_nan=False), min_size=1, max_size=6), st.floats(0.1, 10.0))
def test_softmax_reference_agrees_with_a_different_formula(xs, T):
    ref = D.softmax_reference(xs, temperature=T)
    with mpmath.workdps(80):
        t = mpmath.mpf(T)
        ys = [mpmath.mpf(float(v)) / t for v in xs]
        other = [1 / mpmath.fsum(mpmath.exp(yj - yi) for yj in ys) for yi in ys]
        for a, b in zip(ref, other):
            assert abs(a - b) <= mpmath.mpf(10) ** -48 * b
        assert abs(mpmath.fsum(ref) - 1) < mpmath.mpf(10) ** -48


def test_log_softmax_reference_is_the_log_of_the_reference():
    x = [40.0, 0.0, -3.5, 700.0, -700.0]
    with mpmath.workdps(80):
        for lp, p in zip(D.log_softmax_reference(x), mp_softmax_other_way(x)):
            assert abs(lp - mpmath.log(p)) <= mpmath.mpf(10) ** -48 * max(1, abs(lp))
    # the value the chapter prints: log(1 - e^-40 + ...) = -4.248354255291589e-18
    top = D.log_softmax_reference([40.0, 0.0])[0]
    with mpmath.workdps(60):
        assert abs(top + mpmath.log1p(mpmath.exp(-40))) < mpmath.mpf(10) ** -60


@pytest.mark.parametrize("fn", [D.softmax_reference, D.log_softmax_reference])
@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(x=[[1.0]]), ValueError, "1-D"),
    (dict(x=[]), ValueError, "empty"),
    (dict(x=[np.inf]), ValueError, "finite"),
    (dict(x=[1.0], temperature=-1.0), ValueError, "temperature"),
    (dict(x=[1.0], dps=10), ValueError, "dps"),
    (dict(x=[1.0], dps=30.5), TypeError, "dps"),
])
def test_reference_errors(fn, kwargs, err, msg):
    with pytest.raises(err, match=rf"^{fn.__name__}: .*{msg}"):
        fn(**kwargs)


# ----------------------------------------------------------------------------- ulp_errors
def test_ulp_errors_agrees_with_the_test_oracle():
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 10.0, 40)
    ref = D.softmax_reference(x)
    for approx in (softmax(x), D.naive_softmax(x, shift=True)):
        ours = D.ulp_errors(approx, ref)
        theirs = [ulp_error(a, r) for a, r in zip(approx, ref)]
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_ulp_errors_on_known_distances():
    r = mpmath.mpf(1) / 3
    nearest = float(r)
    assert D.ulp_errors([nearest], [r])[0] <= 0.5
    one_up = np.nextafter(nearest, 1.0)
    assert 0.5 <= D.ulp_errors([one_up], [r])[0] <= 1.5
    assert D.ulp_errors([nearest + 10 * np.spacing(nearest)], [r])[0] == pytest.approx(10, abs=0.5)
    tiny = mpmath.mpf("1e-320")  # subnormal: measured in subnormal steps
    assert D.ulp_errors([1e-320], [tiny])[0] <= 0.5
    assert D.ulp_errors([np.nan, np.inf], [mpmath.mpf(1), mpmath.mpf(2)]).tolist() == [np.inf, np.inf]
    assert D.ulp_errors([0.0], [0])[0] == 0.0


def test_ulp_errors_errors():
    with pytest.raises(ValueError, match="^ulp_errors: approx has 2 elements but reference has 1"):
        D.ulp_errors([1.0, 2.0], [1])
    with pytest.raises(TypeError, match="^ulp_errors: reference must be a sequence"):
        D.ulp_errors([1.0], 1.0)


# ----------------------------------------------------------------------------- finite differences
def test_finite_difference_jacobian_of_known_functions():
    A = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 4.0]])
    np.testing.assert_allclose(D.finite_difference_jacobian(lambda v: A @ v, [0.3, -1.0, 2.0]), A, atol=1e-9)
    f = lambda v: np.array([v[0] ** 2 * v[1], np.sin(v[1])])  # noqa: E731
    x = np.array([1.5, -0.7])
    exact = np.array([[2 * x[0] * x[1], x[0] ** 2], [0.0, np.cos(x[1])]])
    np.testing.assert_allclose(D.finite_difference_jacobian(f, x), exact, atol=1e-8)


def test_finite_difference_jacobian_of_softmax_matches_diag_p_minus_ppT():
    x = np.array([1.0, 3.0, 0.0, 2.0])
    with mpmath.workdps(40):
        p = np.array([float(v) for v in mp_softmax_other_way(x)])
    exact = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(D.finite_difference_jacobian(softmax, x), exact, atol=1e-9)


def test_finite_difference_jacobian_errors_and_input():
    x = np.array([1.0, 2.0])
    before = x.copy()
    D.finite_difference_jacobian(lambda v: v * 2, x)
    assert np.array_equal(x, before)
    with pytest.raises(TypeError, match="^finite_difference_jacobian: f must be callable"):
        D.finite_difference_jacobian(3, x)
    with pytest.raises(ValueError, match="^finite_difference_jacobian: h must be > 0"):
        D.finite_difference_jacobian(np.sin, x, h=0.0)
    with pytest.raises(ValueError, match="^finite_difference_jacobian: f must return a 1-D array"):
        D.finite_difference_jacobian(lambda v: float(v.sum()), x)


# ----------------------------------------------------------------------------- experiments
def mp_entropy(p):
    with mpmath.workdps(40):
        return float(-mpmath.fsum(mpmath.mpf(float(q)) * mpmath.log(q) for q in p if q > 0))


def test_temperature_samples():
    z = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
    Ts = [0.05, 1.0, 50.0]
    r = D.temperature_samples(z, Ts, n_samples=2000, seed=7)
    r2 = D.temperature_samples(z, Ts, n_samples=2000, seed=7)
    for key in r:
        np.testing.assert_array_equal(r[key], r2[key])
    assert r["counts"].sum(axis=1).tolist() == [2000] * 3
    for T, p, h in zip(Ts, r["probs"], r["entropy"]):
        np.testing.assert_allclose(p, D.naive_softmax(z, temperature=T), rtol=1e-13)
        assert h == pytest.approx(mp_entropy(p), rel=1e-12, abs=1e-300)
    for c, h in zip(r["counts"], r["empirical_entropy"]):
        assert h == pytest.approx(mp_entropy(c / 2000), rel=1e-12)
    # T = 0.05: the top class has probability 1 - O(e^-20); T = 50: nearly uniform (p >= 0.18)
    assert r["top_share"][0] == 1.0 and r["distinct"][0] == 1
    assert r["distinct"][2] == 5 and r["top_share"][2] < 0.3
    assert r["top_share"][0] > r["top_share"][1] > r["top_share"][2]
    np.testing.assert_array_equal(r["counts"], [np.bincount(d, minlength=5) for d in r["draws"]])
    assert np.all(np.diff(r["entropy"]) > 0)


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(logits=[1.0, 2.0], temperatures=[0.0]), ValueError, "temperature"),
    (dict(logits=[1.0, 2.0], temperatures="1"), TypeError, "temperatures"),
    (dict(logits=[1.0, 2.0], temperatures=[1.0], n_samples=0), ValueError, "n_samples"),
    (dict(logits=[1.0, 2.0], temperatures=[1.0], seed=1.5), TypeError, "seed"),
    (dict(logits=[np.nan], temperatures=[1.0]), ValueError, "logits"),
])
def test_temperature_samples_errors(kwargs, err, msg):
    with pytest.raises(err, match=rf"^temperature_samples: .*{msg}"):
        D.temperature_samples(**kwargs)


def test_attention_entropy():
    dims = [2, 32, 512]
    r = D.attention_entropy(dims, n_keys=8, n_queries=200, seed=1)
    r2 = D.attention_entropy(dims, n_keys=8, n_queries=200, seed=1)
    for key in r:
        np.testing.assert_array_equal(r[key], r2[key])
    # the raw scores q.k have standard deviation sqrt(d)
    np.testing.assert_allclose(r["score_std"], np.sqrt(dims), rtol=0.2)
    assert np.all(r["entropy_scaled"] <= np.log(8) + 1e-12)
    assert np.all(r["max_weight_unscaled"] >= 1 / 8 - 1e-12)
    # without the scale the weights collapse onto one key as d grows; with it they do not
    assert r["entropy_unscaled"][0] > r["entropy_unscaled"][1] > r["entropy_unscaled"][2]
    assert r["entropy_unscaled"][2] < 0.2 and r["max_weight_unscaled"][2] > 0.9
    assert np.ptp(r["entropy_scaled"]) < 0.25 and np.all(r["entropy_scaled"] > 1.0)


def test_attention_entropy_matches_a_direct_computation():
    r = D.attention_entropy([4], n_keys=5, n_queries=3, seed=11)
    rng = np.random.default_rng(11)
    q, k = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    s = q @ k.T
    w = np.array([[float(p) for p in mp_softmax_other_way(row / 2.0)] for row in s])  # sqrt(4) = 2
    assert r["entropy_scaled"][0] == pytest.approx(np.mean([mp_entropy(row) for row in w]), rel=1e-12)
    assert r["max_weight_scaled"][0] == pytest.approx(w.max(axis=1).mean(), rel=1e-12)


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(dims=[]), TypeError, "dims"),
    (dict(dims=[0]), ValueError, "dims"),
    (dict(dims=[2.5]), TypeError, "dims"),
    (dict(dims=[2], n_keys=0), ValueError, "n_keys"),
    (dict(dims=[2], n_queries=-1), ValueError, "n_queries"),
])
def test_attention_entropy_errors(kwargs, err, msg):
    with pytest.raises(err, match=rf"^attention_entropy: .*{msg}"):
        D.attention_entropy(**kwargs)
