"""Chapter 2 experiments (activations.experiments.affine), against independent checks.

The oracles here do not reuse the module's algorithms: matrices are checked through
their geometric meaning (complex multiplication for rotations, images of points),
homogeneous coordinates through exact dyadic arithmetic, and separability/margins
through an exact enumeration of the candidate directions of the widest margin
(distance between two convex hulls in the plane), not through an LP or an optimiser.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activations.experiments.affine import (
    PRESET_KINDS,
    absorb_bias,
    add_bias_column,
    grid_lines,
    line_margin,
    line_scan,
    max_margin_line,
    preset_matrix,
    separating_line,
    train_hidden_layers,
    warp_path,
)

XOR = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
XOR_Y = np.array([0, 0, 1, 1])
dyadic = st.integers(-64, 64).map(lambda k: k / 8)


# --- independent oracles --------------------------------------------------------------------

def widest_margin_oracle(X, y):
    """Half the distance between the two classes' convex hulls (negative if they overlap).

    In the plane the widest-margin normal is either parallel to p - q for two points of
    different classes (the margin is set by two points) or perpendicular to p - q for two
    points of the same class (it is set by a point and a hull edge). For each candidate
    unit normal u the margin is (min over class 1 of u.x - max over class 0 of u.x) / 2.
    """
    X = np.asarray(X, float)
    pos, neg = X[np.asarray(y) > 0], X[np.asarray(y) <= 0]
    best = -np.inf
    for p, q in itertools.combinations(range(len(X)), 2):
        d = X[p] - X[q]
        if not np.any(d):
            continue
        for u in (d, np.array([-d[1], d[0]])):
            u = u / np.linalg.norm(u)
            for v in (u, -u):
                best = max(best, (np.min(pos @ v) - np.max(neg @ v)) / 2)
    return best


def naive_line_scan(X, y, angles):
    """For each angle: try every threshold between sorted projections, count directly."""
    X = np.asarray(X, float)
    y = np.asarray(y) > 0
    out = []
    for a in angles:
        p = X @ np.array([np.cos(a), np.sin(a)])
        vals = np.unique(p)
        cuts = np.concatenate([[vals[0] - 1], (vals[1:] + vals[:-1]) / 2, [vals[-1] + 1]])
        out.append(max(np.mean((p > tau) == y) for tau in cuts))
    return np.array(out)


# --- preset_matrix ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", PRESET_KINDS)
def test_every_preset_starts_at_the_identity(kind):
    assert np.array_equal(preset_matrix(kind, 0.0), np.eye(2))


@pytest.mark.parametrize("t", [0.0, 0.1, 0.25, 0.5, 0.8, 1.0])
def test_rotation_acts_like_multiplication_by_a_unit_complex_number(t):
    A = preset_matrix("rotation", t)
    rng = np.random.default_rng(1)
    for _ in range(5):
        x = rng.normal(size=2)
        z = complex(*x) * np.exp(1j * np.pi * t)
        np.testing.assert_allclose(A @ x, [z.real, z.imag], atol=1e-14)
    np.testing.assert_allclose(A.T @ A, np.eye(2), atol=1e-15)
    assert np.linalg.det(A) == pytest.approx(1.0)


def test_scaling_shear_and_reflection_move_points_as_described():
    x = np.array([3.0, -2.0])
    assert np.array_equal(preset_matrix("scaling", 1.0) @ x, [6.0, -1.0])     # x doubled, y halved
    assert np.array_equal(preset_matrix("shear", 0.5) @ x, [3.0 - 1.0, -2.0])  # x += t y
    R = preset_matrix("reflection", 1.0)
    assert np.array_equal(R @ x, [3.0, 2.0])                                   # mirror in the x-axis
    assert np.array_equal(R @ R, np.eye(2))
    assert np.linalg.det(R) == -1.0


def test_reflection_path_crosses_a_singular_matrix_at_one_half():
    dets = [np.linalg.det(preset_matrix("reflection", t)) for t in np.linspace(0, 1, 11)]
    assert dets[0] > 0 and dets[-1] < 0
    assert np.linalg.matrix_rank(preset_matrix("reflection", 0.5)) == 1


@pytest.mark.parametrize("args, exc", [
    (("spin", 0.5), ValueError), ((3, 0.5), TypeError), (("shear", 1.5), ValueError),
    (("shear", -0.1), ValueError), (("shear", True), TypeError), (("shear", float("nan")), ValueError),
])
def test_preset_matrix_rejects_bad_arguments(args, exc):
    with pytest.raises(exc, match="^preset_matrix: "):
        preset_matrix(*args)


# --- grid_lines ---------------------------------------------------------------------------------

def test_grid_lines_are_the_lines_of_the_square_grid():
    v, h = grid_lines(2.0, n_lines=5, samples=7)
    levels = [-2.0, -1.0, 0.0, 1.0, 2.0]
    for family, const_col in ((v, 0), (h, 1)):
        assert family.shape == (5 * 8, 2)
        blocks = np.split(family, np.where(np.isnan(family[:, 0]))[0] + 1)[:-1]
        assert len(blocks) == 5
        for level, block in zip(levels, blocks):
            line = block[:-1]
            assert np.all(np.isnan(block[-1]))
            assert np.all(line[:, const_col] == level)
            assert line[0, 1 - const_col] == -2.0 and line[-1, 1 - const_col] == 2.0
            assert np.all(np.diff(line[:, 1 - const_col]) > 0)


@pytest.mark.parametrize("kwargs, exc", [
    ({"lim": 0.0}, ValueError), ({"n_lines": 1}, ValueError), ({"samples": 2.5}, TypeError),
    ({"lim": "1"}, TypeError),
])
def test_grid_lines_rejects_bad_arguments(kwargs, exc):
    with pytest.raises(exc, match="^grid_lines: "):
        grid_lines(**kwargs)


# --- warp_path ------------------------------------------------------------------------------------

W2 = np.array([[2.0, -1.0], [-1.0, 2.0]])
B2 = np.array([-0.5, -0.25])


def test_warp_path_endpoints_are_input_preactivation_and_output():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 2))
    Z = np.array([[x @ W2[:, 0] + B2[0], x @ W2[:, 1] + B2[1]] for x in X])  # z_j = sum_i x_i W_ij + b_j
    np.testing.assert_array_equal(warp_path(X, W2, B2, np.tanh, 0.0), X)
    np.testing.assert_allclose(warp_path(X, W2, B2, np.tanh, 0.5), Z, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(warp_path(X, W2, B2, np.tanh, 1.0), np.tanh(Z), rtol=1e-15, atol=1e-15)


def test_warp_path_moves_on_straight_segments_at_constant_speed():
    X = np.array([[0.3, -1.2], [2.0, 0.5]])
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    for a, b in ((0.0, 0.5), (0.5, 1.0)):
        pa, pb = warp_path(X, W2, B2, relu, a), warp_path(X, W2, B2, relu, b)
        for f in (0.25, 0.5, 0.75):
            np.testing.assert_allclose(warp_path(X, W2, B2, relu, a + f * (b - a)), (1 - f) * pa + f * pb,
                                       atol=1e-14)


def test_warp_path_keeps_nan_separators_and_does_not_modify_inputs():
    v, _ = grid_lines(1.0, 3, 4)
    v_copy, W_copy, b_copy = v.copy(), W2.copy(), B2.copy()
    out = warp_path(v, W2, B2, np.tanh, 0.7)
    assert np.array_equal(np.isnan(out), np.isnan(v))
    assert np.array_equal(v, v_copy, equal_nan=True) and np.array_equal(W2, W_copy) and np.array_equal(B2, b_copy)


@pytest.mark.parametrize("args, exc", [
    ((np.ones((3, 2)), np.ones((2, 3)), np.zeros(3), np.tanh, 0.5), ValueError),
    ((np.ones((3, 2)), W2, np.zeros(3), np.tanh, 0.5), ValueError),
    ((np.ones((3, 2)), W2, B2, "tanh", 0.5), TypeError),
    ((np.ones((3, 2)), W2, B2, np.tanh, 2.0), ValueError),
    ((np.ones(3), W2, B2, np.tanh, 0.5), ValueError),
    ((np.ones((3, 2)), W2, B2, lambda z: z.sum(), 1.0), ValueError),
])
def test_warp_path_rejects_bad_arguments(args, exc):
    with pytest.raises(exc, match="^warp_path: "):
        warp_path(*args)


# --- homogeneous coordinates -------------------------------------------------------------------------

@settings(database=None, max_examples=50)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.data())
def test_augmented_product_equals_affine_layer_exactly(n, d_in, d_out, data):
    X = np.array(data.draw(st.lists(dyadic, min_size=n * d_in, max_size=n * d_in))).reshape(n, d_in)
    W = np.array(data.draw(st.lists(dyadic, min_size=d_in * d_out, max_size=d_in * d_out))).reshape(d_in, d_out)
    b = np.array(data.draw(st.lists(dyadic, min_size=d_out, max_size=d_out)))
    Xt, Wt = add_bias_column(X), absorb_bias(W, b)
    assert Xt.shape == (n, d_in + 1) and Wt.shape == (d_in + 1, d_out)
    # dyadic numbers with few terms: every product and sum is exact, so equality is exact
    expected = np.array([[sum(X[i, k] * W[k, j] for k in range(d_in)) + b[j] for j in range(d_out)]
                         for i in range(n)])
    assert np.array_equal(Xt @ Wt, expected)
    assert np.array_equal(Xt[:, 0], np.ones(n)) and np.array_equal(Wt[0], b)


def test_bias_helpers_reject_bad_shapes_and_do_not_modify_inputs():
    W, b = np.ones((3, 2)), np.zeros(2)
    with pytest.raises(ValueError, match="^absorb_bias: "):
        absorb_bias(W, np.zeros(3))
    with pytest.raises(ValueError, match="^add_bias_column: "):
        add_bias_column(np.ones(3))
    with pytest.raises(TypeError, match="^absorb_bias: "):
        absorb_bias("W", b)
    Wt = absorb_bias(W, b)
    Wt[:] = 7.0
    assert np.all(W == 1.0) and np.all(b == 0.0)


# --- separability and margins -------------------------------------------------------------------------

def test_xor_has_no_separating_line_but_and_has_one():
    assert separating_line(XOR, XOR_Y) is None
    and_y = np.array([0, 1, 0, 0])
    w, c = separating_line(XOR, and_y)
    assert np.all((XOR @ w + c > 0) == (and_y == 1))


@pytest.mark.parametrize("seed", range(20))
def test_separability_and_widest_margin_agree_with_hull_distance_oracle(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    X = rng.normal(size=(n, 2))
    y = rng.integers(0, 2, size=n)
    y[0], y[1] = 0, 1
    X[y == 1] += rng.normal(scale=1.2, size=2)   # 14 of these 20 draws are separable, 6 are not
    oracle = widest_margin_oracle(X, y)
    if abs(oracle) < 1e-6:
        pytest.skip("degenerate draw (touching hulls)")
    line = separating_line(X, y)
    assert (line is not None) == (oracle > 0)
    mm = max_margin_line(X, y)
    if oracle > 0:
        w, c, m = mm
        assert m == pytest.approx(oracle, rel=1e-6, abs=1e-9)
        assert m == pytest.approx(line_margin(X, y, w, c))
    else:
        assert mm is None


def test_affine_images_keep_separability_either_way():
    rng = np.random.default_rng(3)
    and_y = np.array([0, 1, 0, 0])
    for _ in range(25):
        A, b = rng.normal(size=(2, 2)), rng.normal(size=2)
        img = XOR @ A + b
        assert separating_line(img, XOR_Y) is None
        assert separating_line(img, and_y) is not None


def test_line_margin_is_the_signed_distance_of_the_nearest_point():
    X = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]])
    y = np.array([0, 1, 1])
    w, c = np.array([1.0, 1.0]), -2.0           # line x + y = 2
    # signed distances: (0-2)/sqrt2 * (-1) = sqrt2, (7-2)/sqrt2, (6-2)/sqrt2
    assert line_margin(X, y, w, c) == pytest.approx(np.sqrt(2))
    assert line_margin(X, y, 3 * w, 3 * c) == pytest.approx(np.sqrt(2))
    assert line_margin(X, y, -w, -c) == pytest.approx(-5 / np.sqrt(2))   # everything on the wrong side
    with pytest.raises(ValueError, match="^line_margin: "):
        line_margin(X, y, [0.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="^line_margin: "):
        line_margin(X, [0, 1, 2], w, c)
    with pytest.raises(ValueError, match="^line_margin: "):
        line_margin(X, [1, 1, 1], w, c)


def test_max_margin_of_two_points_is_the_perpendicular_bisector():
    X = np.array([[1.0, 1.0], [4.0, 5.0]])
    w, c, m = max_margin_line(X, [1, 0])
    assert m == pytest.approx(2.5)                      # half of |(3, 4)|
    mid = X.mean(axis=0)
    assert w @ mid + c == pytest.approx(0.0, abs=1e-9)  # passes through the midpoint
    assert abs(w @ np.array([4.0, -3.0])) == pytest.approx(0.0, abs=1e-9 * np.linalg.norm(w))


# --- line_scan --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_line_scan_matches_a_naive_threshold_search(seed):
    rng = np.random.default_rng(10 + seed)
    X = np.round(rng.normal(size=(7, 2)), 1)    # rounding creates ties in some directions
    y = rng.integers(0, 2, 7)
    y[:2] = [0, 1]
    angles, acc = line_scan(X, y, 24)
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(24) / 24)
    np.testing.assert_allclose(acc, naive_line_scan(X, y, angles))


def test_line_scan_on_xor_never_beats_three_of_four():
    _, acc = line_scan(XOR, XOR_Y, 3600)
    assert acc.max() == 0.75
    _, acc = line_scan(XOR, [0, 1, 0, 0], 360)   # AND is separable
    assert acc.max() == 1.0


@pytest.mark.parametrize("args, exc", [
    ((np.ones((3, 3)), [0, 1, 0]), ValueError), ((XOR, XOR_Y, 0), ValueError),
    ((XOR, XOR_Y, 2.0), TypeError), ((XOR, ["a", "b", "a", "b"]), TypeError),
])
def test_line_scan_rejects_bad_arguments(args, exc):
    with pytest.raises(exc, match="^line_scan: "):
        line_scan(*args)


# --- train_hidden_layers ---------------------------------------------------------------------------------

def test_trained_runs_report_what_their_own_weights_compute():
    runs = train_hidden_layers(XOR, XOR_Y, 2, range(6), steps=300)
    assert [r.seed for r in runs] == list(range(6)) and all(r.width == 2 for r in runs)
    for r in runs:
        Z = XOR @ r.W1 + r.b1                       # recomputed with plain NumPy from the returned weights
        H = np.maximum(Z, 0.0)
        out = (H @ r.W2 + r.b2)[:, 0]
        assert r.loss == pytest.approx(0.5 * np.mean((out - XOR_Y) ** 2), rel=1e-12, abs=1e-15)
        assert r.correct == bool(np.all((out > 0.5) == (XOR_Y == 1)))
        assert r.dead_units == int(np.sum(np.all(Z <= 0, axis=0)))
        oracle = widest_margin_oracle(H, XOR_Y) if len(np.unique(H, axis=0)) > 1 else -1.0
        if r.hidden_margin is None:
            assert oracle <= 1e-9
        else:
            assert r.hidden_margin == pytest.approx(oracle, rel=1e-6, abs=1e-9)
        # a correct network separates the classes in its hidden space: the output unit is a line there
        if r.correct:
            assert r.hidden_margin is not None


def test_training_is_seeded_and_learns_a_separable_problem():
    a = train_hidden_layers(XOR, XOR_Y, 4, [3], steps=50)[0]
    b = train_hidden_layers(XOR, XOR_Y, 4, [3], steps=50)[0]
    c = train_hidden_layers(XOR, XOR_Y, 4, [4], steps=50)[0]
    assert np.array_equal(a.W1, b.W1) and a.loss == b.loss
    assert not np.array_equal(a.W1, c.W1)
    untrained = train_hidden_layers(XOR, [0, 1, 1, 1], 8, [0], steps=1, lr=1e-12)[0]
    trained = train_hidden_layers(XOR, [0, 1, 1, 1], 8, [0], steps=400)[0]   # OR: linearly separable
    assert trained.correct and trained.loss < 0.1 * untrained.loss


def test_train_hidden_layers_rejects_bad_arguments_and_keeps_inputs():
    X, y = XOR.copy(), XOR_Y.copy()
    train_hidden_layers(X, y, 2, [0], steps=5)
    assert np.array_equal(X, XOR) and np.array_equal(y, XOR_Y)
    for kwargs, exc in (({"width": 0}, ValueError), ({"width": 2.0}, TypeError), ({"steps": 0}, ValueError),
                        ({"lr": -1.0}, ValueError), ({"seeds": "01"}, TypeError), ({"seeds": [0.5]}, TypeError),
                        ({"activation": "nope"}, ValueError)):
        args = {"width": 2, "seeds": [0], "steps": 2, **kwargs}
        with pytest.raises(exc, match="^train_hidden_layers: "):
            train_hidden_layers(X, y, **args)
