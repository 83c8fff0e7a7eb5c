"""Linearity checks and affine stacks, against exact algebra and mpmath."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activations.linearity import (
    LinearityCheck,
    additivity_gap,
    check_linearity,
    collapse_affine_stack,
    homogeneity_gap,
    line_deviation,
    neuron_mse,
    random_affine_stack,
    stack_forward,
)

RNG = np.random.default_rng(20240601)
X = RNG.uniform(-3, 3, 200)
Y = RNG.uniform(-3, 3, 200)
ALPHAS = [-2.0, -0.5, 0.5, 3.0]

# No example database on disk and no timing limits: the tests must not flake on a busy machine.
ROBUST = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Small dyadic numbers (multiples of 1/8 below 16): sums and products of a few of them are
# exact in float64, so gaps can be compared with exact rational arithmetic.
dyadic = st.integers(-128, 128).map(lambda k: k / 8)


# --- additivity_gap / homogeneity_gap --------------------------------------------------

@settings(**ROBUST)
@given(st.lists(st.tuples(dyadic, dyadic), min_size=1, max_size=20))
def test_additivity_gap_of_square_is_max_abs_2xy(pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    exact = max(abs(2 * Fraction(a) * Fraction(b)) for a, b in pairs)
    assert additivity_gap(lambda v: v * v, x, y) == float(exact)


@settings(**ROBUST)
@given(dyadic, dyadic, st.lists(st.tuples(dyadic, dyadic), min_size=1, max_size=20))
def test_additivity_gap_of_affine_map_is_abs_bias(a, c, pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    # a(x+y) + c - (a x + c) - (a y + c) = -c, exactly
    assert additivity_gap(lambda v: a * v + c, x, y) == abs(c)


@settings(**ROBUST)
@given(dyadic, dyadic, dyadic, st.lists(dyadic, min_size=1, max_size=20))
def test_homogeneity_gap_of_affine_map_is_abs_1_minus_alpha_times_bias(a, c, alpha, xs):
    # a (alpha x) + c - alpha (a x + c) = (1 - alpha) c
    expected = float(abs((1 - Fraction(alpha)) * Fraction(c)))
    assert homogeneity_gap(lambda v: a * v + c, np.array(xs), alpha) == expected


def test_homogeneity_gap_of_square_matches_exact_formula():
    xs = np.array([-2.5, 0.0, 1.0, 3.0])
    alpha = 1.5
    exact = max(abs(Fraction(alpha) ** 2 - Fraction(alpha)) * Fraction(v) ** 2 for v in xs)
    assert homogeneity_gap(np.square, xs, alpha) == float(exact)


def test_gaps_of_a_matrix_are_round_off_small():
    A = RNG.normal(size=(3, 5))
    x, y = RNG.normal(size=(50, 5)), RNG.normal(size=(50, 5))
    f = lambda v: v @ A.T  # noqa: E731
    assert additivity_gap(f, x, y) < 1e-13
    assert homogeneity_gap(f, x, -1.7) < 1e-13


def test_gaps_do_not_modify_inputs_even_if_f_does():
    def nasty(v):
        v *= 10  # mutates its argument
        return v

    x, y = X.copy(), Y.copy()
    additivity_gap(nasty, x, y)
    homogeneity_gap(nasty, x, 2.0)
    check_linearity(nasty, x, y, ALPHAS)
    assert np.array_equal(x, X) and np.array_equal(y, Y)


@pytest.mark.parametrize("call, exc, start", [
    (lambda: additivity_gap(3, X, Y), TypeError, "additivity_gap:"),
    (lambda: additivity_gap(np.abs, X, Y[:5]), ValueError, "additivity_gap:"),
    (lambda: additivity_gap(np.abs, "x", Y), TypeError, "additivity_gap:"),
    (lambda: additivity_gap(lambda v: np.full_like(v, np.inf), X, Y), ValueError, "additivity_gap:"),
    (lambda: homogeneity_gap(np.abs, X, "2"), TypeError, "homogeneity_gap:"),
    (lambda: homogeneity_gap(np.abs, X, float("nan")), ValueError, "homogeneity_gap:"),
    (lambda: homogeneity_gap(None, X, 2.0), TypeError, "homogeneity_gap:"),
    (lambda: check_linearity(np.abs, X, Y, []), ValueError, "check_linearity:"),
    (lambda: check_linearity(np.abs, X, Y, [np.inf]), ValueError, "check_linearity:"),
    (lambda: check_linearity(np.abs, X, Y, [1.0], rtol=-1), ValueError, "check_linearity:"),
    (lambda: check_linearity(lambda v: "a", X, Y, [1.0]), TypeError, "check_linearity:"),
])
def test_errors_name_the_function(call, exc, start):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).startswith(start)


# --- check_linearity -------------------------------------------------------------------------

@pytest.mark.parametrize("f, additive, homogeneous, positive", [
    (lambda v: v, True, True, True),                         # identity
    (lambda v: -2.5 * v, True, True, True),                  # any scalar multiple
    (lambda v: 2.0 * v + 1.0, False, False, False),          # affine with b != 0
    (np.square, False, False, False),
    (np.abs, False, False, True),                            # positively homogeneous only
    (lambda v: np.maximum(v, 0.0), False, False, True),      # a rectifier, same story
    (np.sin, False, False, False),
    (lambda v: np.zeros_like(v), True, True, True),          # the zero map is linear
    (lambda v: np.ones_like(v), False, False, False),        # a constant is not
])
def test_check_linearity_classifies_known_functions(f, additive, homogeneous, positive):
    r = check_linearity(f, X, Y, ALPHAS)
    assert isinstance(r, LinearityCheck)
    assert (r.additive, r.homogeneous, r.positively_homogeneous) == (additive, homogeneous, positive)
    assert r.linear == (additive and homogeneous)


@settings(max_examples=30, **ROBUST)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_random_matrices_are_linear_and_nonzero_bias_breaks_it(n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n_out, n_in))
    b = rng.normal(size=n_out)
    b += np.sign(b) * 0.1  # keep the bias away from 0
    x, y = rng.normal(size=(40, n_in)), rng.normal(size=(40, n_in))
    lin = check_linearity(lambda v: v @ A.T, x, y, [-1.5, 0.5, 2.0])
    aff = check_linearity(lambda v: v @ A.T + b, x, y, [-1.5, 0.5, 2.0])
    assert lin.linear and lin.positively_homogeneous
    assert not aff.additive and not aff.homogeneous
    # the additivity gap of an affine map is exactly its largest |b_i| (up to rounding)
    assert aff.additivity_gap == pytest.approx(np.max(np.abs(b)), rel=1e-9)


def test_positive_homogeneity_is_none_without_positive_alphas():
    r = check_linearity(np.abs, X, Y, [-1.0, -2.0])
    assert r.positive_homogeneity_gap is None and r.positively_homogeneous is None
    # |-2x| - (-2)|x| = 4|x|, exactly in floating point
    assert r.homogeneity_gap == 4 * np.max(np.abs(X))


def test_tolerance_scales_with_the_values():
    # a huge linear map: absolute rounding errors are large but relative ones are not
    r = check_linearity(lambda v: 1e12 * v, X, Y, ALPHAS)
    assert r.linear and r.tol > 1e-10


# --- random_affine_stack ----------------------------------------------------------------------

def test_random_affine_stack_shapes_seed_and_scale():
    layers = random_affine_stack([3, 400, 200, 2], rng=7, bias_std=0.5)
    assert [(W.shape, b.shape) for W, b in layers] == [((3, 400), (400,)), ((400, 200), (200,)), ((200, 2), (2,))]
    again = random_affine_stack([3, 400, 200, 2], rng=np.random.default_rng(7), bias_std=0.5)
    assert all(np.array_equal(W1, W2) and np.array_equal(b1, b2) for (W1, b1), (W2, b2) in zip(layers, again))
    W = layers[1][0]
    # entries ~ N(0, 1/400): 80 000 samples, so the sample std is within a few percent
    assert W.std() == pytest.approx(1 / np.sqrt(400), rel=0.03)
    assert layers[0][1].std() == pytest.approx(0.5, rel=0.15)
    assert np.all(random_affine_stack([2, 3], rng=1)[0][1] == 0)
    assert random_affine_stack([50, 50], rng=1, weight_gain=2.0)[0][0].std() == pytest.approx(2 / np.sqrt(50), rel=0.05)


@pytest.mark.parametrize("kwargs, exc", [
    (dict(widths=[3]), ValueError), (dict(widths=[3, 0]), ValueError), (dict(widths=[3, 2.0]), TypeError),
    (dict(widths="32"), TypeError), (dict(widths=[3, 2], weight_gain=0), ValueError),
    (dict(widths=[3, 2], bias_std=-1), ValueError), (dict(widths=[3, 2], rng="seed"), TypeError),
])
def test_random_affine_stack_errors(kwargs, exc):
    with pytest.raises(exc, match="^random_affine_stack:"):
        random_affine_stack(**kwargs)


# --- collapse_affine_stack and stack_forward: exact rational oracle ---------------------------

def _frac_stack(rng, widths):
    """Integer-valued layers, both as floats and as Fractions."""
    float_layers, frac_layers = [], []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        W = rng.integers(-3, 4, size=(n_in, n_out))
        b = rng.integers(-3, 4, size=n_out)
        float_layers.append((W.astype(float), b.astype(float)))
        frac_layers.append(([[Fraction(int(v)) for v in row] for row in W], [Fraction(int(v)) for v in b]))
    return float_layers, frac_layers


def _frac_apply(frac_layers, x, g=None):
    h = [Fraction(v) for v in x]
    for i, (W, b) in enumerate(frac_layers):
        # row-vector convention: h_new[j] = sum_i h[i] W[i][j] + b[j]
        h = [sum((h[i] * W[i][j] for i in range(len(h))), Fraction(0)) + b[j] for j in range(len(b))]
        if g is not None and i < len(frac_layers) - 1:
            h = [g(v) for v in h]
    return h


@pytest.mark.parametrize("widths", [[1, 1], [2, 3, 1], [3, 4, 4, 2], [1, 5, 5, 5, 5, 1]])
def test_collapse_matches_exact_composition(widths):
    rng = np.random.default_rng(sum(widths))
    float_layers, frac_layers = _frac_stack(rng, widths)
    W, b = collapse_affine_stack(float_layers)
    # the collapsed map x W + b is b at 0, and b + W[j] at the unit vector e_j
    zero = [0] * widths[0]
    assert [Fraction(v) for v in b] == _frac_apply(frac_layers, zero)
    for j in range(widths[0]):
        e = zero.copy()
        e[j] = 1
        col = [u - v for u, v in zip(_frac_apply(frac_layers, e), _frac_apply(frac_layers, zero))]
        assert [Fraction(v) for v in W[j]] == col


def test_stack_forward_matches_exact_arithmetic_with_and_without_activation():
    rng = np.random.default_rng(3)
    float_layers, frac_layers = _frac_stack(rng, [2, 3, 3, 2])
    xs = [[1, -2], [0, 0], [3, 1]]
    fold = lambda v: abs(v)  # noqa: E731  an exact, non-linear test function
    out_lin = stack_forward(float_layers, np.array(xs, float))
    out_abs = stack_forward(float_layers, np.array(xs, float), activation=np.abs)
    for row, x in enumerate(xs):
        assert [Fraction(v) for v in out_lin[row]] == _frac_apply(frac_layers, x)
        assert [Fraction(v) for v in out_abs[row]] == _frac_apply(frac_layers, x, fold)
    # a single input vector gives a 1-D output
    assert stack_forward(float_layers, np.array(xs[0], float)).shape == (2,)


def test_activation_is_not_applied_after_the_last_layer():
    layers = [(np.eye(2), np.zeros(2)), (np.eye(2), np.array([-5.0, 7.0]))]
    out = stack_forward(layers, np.array([[1.0, 2.0]]), activation=lambda h: np.zeros_like(h))
    assert out.tolist() == [[-5.0, 7.0]]


@settings(max_examples=25, **ROBUST)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=8), st.integers(0, 2**32 - 1))
def test_collapse_agrees_with_forward_for_random_float_stacks(widths, seed):
    rng = np.random.default_rng(seed)
    layers = random_affine_stack(widths, rng=rng, bias_std=1.0)
    x = rng.normal(size=(30, widths[0]))
    W, b = collapse_affine_stack(layers)
    deep = stack_forward(layers, x)
    scale = 1.0 + np.max(np.abs(deep))
    assert np.max(np.abs(deep - (x @ W + b))) <= 1e-12 * scale * len(widths)


def test_a_nonlinear_stack_does_not_collapse():
    layers = random_affine_stack([1, 16, 16, 1], rng=11, bias_std=1.0)
    x = np.linspace(-3, 3, 101)[:, None]
    W, b = collapse_affine_stack(layers)
    bent = stack_forward(layers, x, activation=np.abs)
    assert np.max(np.abs(bent - (x @ W + b))) > 0.1
    assert line_deviation(x[:, 0], bent[:, 0]) > 0.01


def test_collapse_and_forward_do_not_modify_inputs_and_accept_missing_bias():
    layers = [(np.array([[1.0], [2.0]]), None), (np.array([[3.0]]), np.array([1.0]))]
    W0 = layers[0][0].copy()
    W, b = collapse_affine_stack(layers)
    assert W.tolist() == [[3.0], [6.0]] and b.tolist() == [1.0]
    W[0, 0] = 99.0  # the result is a new array, not a view of a layer
    x = np.array([[1.0, 1.0]])
    assert stack_forward(layers, x).tolist() == [[10.0]]
    assert np.array_equal(layers[0][0], W0) and x.tolist() == [[1.0, 1.0]]


@pytest.mark.parametrize("layers, exc", [
    ([], ValueError),
    ("W", TypeError),
    ([np.eye(2)], TypeError),
    ([(np.ones(3), None)], ValueError),
    ([(np.eye(2), np.ones(3))], ValueError),
    ([(np.ones((3, 2)), None), (np.ones((1, 4)), None)], ValueError),
    ([(np.eye(2) * 1j, None)], TypeError),
])
def test_stack_errors(layers, exc):
    for fn, name in ((collapse_affine_stack, "collapse_affine_stack"),
                     (lambda L: stack_forward(L, np.ones(2)), "stack_forward")):
        with pytest.raises(exc, match=f"^{name}:"):
            fn(layers)


def test_stack_forward_input_errors():
    layers = [(np.eye(2), None)]
    with pytest.raises(ValueError, match="^stack_forward:"):
        stack_forward(layers, np.ones(3))
    with pytest.raises(ValueError, match="^stack_forward:"):
        stack_forward(layers, np.ones((2, 2, 2)))
    with pytest.raises(TypeError, match="^stack_forward:"):
        stack_forward(layers, np.ones(2), activation="relu")


# --- line_deviation --------------------------------------------------------------------------

def test_line_deviation_of_a_parabola_matches_exact_least_squares():
    # y = x^2 on a symmetric grid: the least-squares line is the constant mean(y),
    # so the worst residual is max(mean, 1 - mean) over a spread of 1.
    n = 21
    xs = [Fraction(2 * k - (n - 1), n - 1) for k in range(n)]
    mean = sum(v * v for v in xs) / n
    exact = max(mean, 1 - mean)
    got = line_deviation(np.array([float(v) for v in xs]), np.array([float(v * v) for v in xs]))
    assert got == pytest.approx(float(exact), rel=1e-14)


@settings(max_examples=50, **ROBUST)
@given(st.floats(0.01, 1e3), st.sampled_from([-1.0, 1.0]), st.floats(-1e3, 1e3), st.floats(0.01, 1e3),
       st.floats(-1e3, 1e3))
def test_line_deviation_of_a_line_is_zero_and_invariant_under_affine_y_maps(a, sign, c, s, t):
    # the rounding floor is about eps * max|y| / spread(y), so keep the slope away from 0
    x = np.linspace(-2.0, 5.0, 64)
    assert line_deviation(x, sign * a * x + c) < 1e-9
    y = np.sin(x)
    assert line_deviation(x, s * y + t) == pytest.approx(line_deviation(x, y), rel=1e-9)


def test_line_deviation_constant_and_errors():
    assert line_deviation([0, 1, 2], [4, 4, 4]) == 0.0
    for args, exc in [(([0, 1], [1]), ValueError), (([1, 1], [0, 2]), ValueError), (([0], [0]), ValueError),
                      (([0, np.nan], [0, 1]), ValueError), (([0, 1], ["a", "b"]), TypeError)]:
        with pytest.raises(exc, match="^line_deviation:"):
            line_deviation(*args)


# --- neuron_mse ------------------------------------------------------------------------------

def test_neuron_mse_matches_mpmath_differentiation():
    x = np.array([-1.5, -0.2, 0.4, 1.0, 2.5])
    t = np.array([0.1, -0.3, 0.2, 0.8, 0.5])
    w, b = 0.7, -0.3

    def loss(wm, bm):
        return mpmath.fsum((mpmath.sin(wm * mpmath.mpf(xi) + bm) - mpmath.mpf(ti)) ** 2 for xi, ti in zip(x, t)) / len(x)

    L, dw, db = neuron_mse(x, t, w, b, np.sin, np.cos)
    assert L == pytest.approx(float(loss(mpmath.mpf(w), mpmath.mpf(b))), rel=1e-14)
    assert dw == pytest.approx(float(mpmath.diff(lambda v: loss(v, mpmath.mpf(b)), mpmath.mpf(w))), rel=1e-13)
    assert db == pytest.approx(float(mpmath.diff(lambda v: loss(mpmath.mpf(w), v), mpmath.mpf(b))), rel=1e-13)


def test_neuron_mse_with_zero_derivative_gives_exactly_zero_gradient():
    x = np.linspace(-2, 2, 9)
    L, dw, db = neuron_mse(x, x > 0, 1.3, 0.2, lambda z: (z > 0).astype(float), np.zeros_like)
    assert dw == 0.0 and db == 0.0 and L >= 0


def test_neuron_mse_errors_and_inputs_unchanged():
    x, t = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    neuron_mse(x, t, 1.0, 0.0, np.sin, np.cos)
    assert x.tolist() == [1.0, 2.0] and t.tolist() == [0.0, 1.0]
    for args, exc in [((x, t[:1], 1.0, 0.0, np.sin, np.cos), ValueError),
                      ((x, t, "w", 0.0, np.sin, np.cos), TypeError),
                      ((x, t, 1.0, np.inf, np.sin, np.cos), ValueError),
                      ((x, t, 1.0, 0.0, np.sin, None), TypeError),
                      (([], [], 1.0, 0.0, np.sin, np.cos), ValueError)]:
        with pytest.raises(exc, match="^neuron_mse:"):
            neuron_mse(*args)
