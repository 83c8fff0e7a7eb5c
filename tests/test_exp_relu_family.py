"""Chapter 4 experiments (activations.experiments.relu_family) against independent checks.

Closed forms (Gaussian integrals of ReLU, the SELU fixed point), scipy quadrature,
optimality conditions (KKT for the lasso) and hand-built networks are the references;
nothing below is copied from the module's own output.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from activations.elementwise import (SELU_ALPHA, SELU_SCALE, elu, hardshrink, identity, leaky_relu, prelu,
                                     relu, selu, softshrink, tanh)
from activations.experiments import relu_family as rf

# ---------------------------------------------------------------------------------------
# Gaussian expectations
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu, sd", [(0.0, 1.0), (0.7, 0.3), (-2.0, 1.5), (3.0, 0.01)])
def test_gaussian_expectation_of_relu_matches_the_closed_form(mu, sd):
    # E[max(Z, 0)] = sd * phi(mu/sd) + mu * Phi(mu/sd)
    exact = sd * stats.norm.pdf(mu / sd) + mu * stats.norm.cdf(mu / sd)
    assert rf.gaussian_expectation(relu, mu, sd) == pytest.approx(exact, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("mu, sd", [(0.0, 1.0), (1.3, 2.0)])
def test_gaussian_expectation_of_polynomials(mu, sd):
    assert rf.gaussian_expectation(lambda z: z, mu, sd) == pytest.approx(mu, abs=1e-12)
    assert rf.gaussian_expectation(lambda z: z * z, mu, sd) == pytest.approx(mu * mu + sd * sd, rel=1e-12)
    assert rf.gaussian_expectation(np.abs, 0.0, sd) == pytest.approx(sd * math.sqrt(2 / math.pi), rel=1e-12)


def test_gaussian_expectation_agrees_with_scipy_quad_for_smooth_and_kinked_functions():
    for f, kinks in ((tanh, ()), (lambda z: elu(z, alpha=2.0), (0.0,)), (lambda z: np.clip(z, -1, 1), (-1.0, 1.0))):
        for mu, sd in ((0.3, 1.7), (-1.0, 0.5)):
            ref, _ = integrate.quad(lambda t: float(f(np.array([mu + sd * t]))[0]) * stats.norm.pdf(t), -np.inf,
                                    np.inf, points=None, epsabs=1e-13, epsrel=1e-13, limit=400)
            assert rf.gaussian_expectation(f, mu, sd, breakpoints=kinks) == pytest.approx(ref, abs=1e-9)


def test_gaussian_expectation_rejects_bad_input():
    with pytest.raises(TypeError, match="^gaussian_expectation:"):
        rf.gaussian_expectation("relu")
    with pytest.raises(ValueError, match="^gaussian_expectation:"):
        rf.gaussian_expectation(relu, 0.0, 0.0)
    with pytest.raises(ValueError, match="^gaussian_expectation:"):
        rf.gaussian_expectation(lambda z: np.sum(z), 0.0, 1.0)
    with pytest.raises(TypeError, match="^gaussian_expectation:"):
        rf.gaussian_expectation(relu, breakpoints=["a"])


def test_selu_constants_make_zero_one_a_fixed_point_of_the_moment_map():
    # Klambauer et al. (2017): with omega = 0, tau = 1, (mean, var) = (0, 1) is mapped to itself.
    m, v = rf.moment_map(selu, 0.0, 1.0)
    assert abs(m) < 1e-10 and v == pytest.approx(1.0, abs=1e-10)
    # an independent evaluation of the same integrals with scipy
    def e(k):
        return integrate.quad(lambda z: float(selu(z)) ** k * stats.norm.pdf(z), -40, 0)[0] + \
            integrate.quad(lambda z: (SELU_SCALE * z) ** k * stats.norm.pdf(z), 0, 40)[0]
    assert e(1) == pytest.approx(0.0, abs=1e-9) and e(2) - e(1) ** 2 == pytest.approx(1.0, abs=1e-9)
    assert SELU_SCALE * SELU_ALPHA == pytest.approx(1.7580993408473768)


def test_moment_map_closed_forms():
    # relu of N(0, nu): mean sqrt(nu / 2pi), variance nu (1/2 - 1/2pi)
    for nu in (0.25, 1.0, 4.0):
        m, v = rf.moment_map(relu, 5.0, nu)  # omega = 0: the input mean does not matter
        assert m == pytest.approx(math.sqrt(nu / (2 * math.pi)), rel=1e-12)
        assert v == pytest.approx(nu * (0.5 - 0.5 / math.pi), rel=1e-11)
    m, v = rf.moment_map(identity, 2.0, 3.0, omega=0.5, tau=2.0)
    assert (m, v) == (pytest.approx(1.0, abs=1e-12), pytest.approx(6.0, rel=1e-12))
    with pytest.raises(ValueError, match="^moment_map:"):
        rf.moment_map(relu, 0.0, -1.0)


def test_affine_r2_closed_forms():
    relu_r2 = 1.0 / (2.0 - 2.0 / math.pi)
    for sd in (0.01, 1.0, 100.0):
        assert rf.affine_r2(relu, sd) == pytest.approx(relu_r2, rel=1e-10)
        assert rf.affine_r2(identity, sd) == pytest.approx(1.0, rel=1e-12)
    a = 0.2  # leaky ReLU = (1+a)/2 z + (1-a)/2 |z|, and Cov(z, |z|) = 0
    c, d = (1 + a) / 2, (1 - a) / 2
    expected = c * c / (c * c + d * d * (1 - 2 / math.pi))
    assert rf.affine_r2(lambda z: leaky_relu(z, negative_slope=a), 3.0) == pytest.approx(expected, rel=1e-10)
    assert rf.affine_r2(lambda z: z * z, 1.0) == pytest.approx(0.0, abs=1e-12)
    # tanh: almost linear on tiny inputs, far from linear on huge ones
    assert rf.affine_r2(tanh, 1e-3, breakpoints=()) > 0.999999
    # on huge inputs tanh is almost sign(z), whose R² is 2/pi; the exact value from scipy
    sd = 100.0
    pdf = lambda z: stats.norm.pdf(z, scale=sd)  # noqa: E731
    e = [integrate.quad(lambda z: float(tanh(z)) ** k * pdf(z), -12 * sd, 12 * sd, points=[0.0], limit=500)[0]
         for k in (1, 2)]
    ezf = integrate.quad(lambda z: z * float(tanh(z)) * pdf(z), -12 * sd, 12 * sd, points=[0.0], limit=500)[0]
    assert rf.affine_r2(tanh, sd) == pytest.approx(ezf ** 2 / (sd ** 2 * (e[1] - e[0] ** 2)), rel=1e-6)
    assert rf.affine_r2(tanh, sd) == pytest.approx(2 / math.pi, rel=1e-2)
    with pytest.raises(ValueError, match="^affine_r2:"):
        rf.affine_r2(lambda z: np.ones_like(z), 1.0)


# ---------------------------------------------------------------------------------------
# deep random networks
# ---------------------------------------------------------------------------------------


def test_moments_through_depth_shapes_and_known_behaviour():
    m, v = rf.moments_through_depth("selu", depth=20, width=100, n=400, rng=3)
    assert m.shape == v.shape == (21,)
    assert np.all(np.abs(m) < 0.15) and np.all(np.abs(v - 1) < 0.25)
    # ReLU with LeCun weights: the second moment halves per layer (E relu(z)^2 = Var z / 2)
    m, v = rf.moments_through_depth("relu", depth=20, width=100, n=400, rng=3)
    second = v + m ** 2
    mean_ratio = (second[-1] / second[1]) ** (1 / 19)  # geometric mean of the per-layer ratios
    assert abs(mean_ratio - 0.5) < 0.1 and second[-1] < 1e-4
    assert np.all(m[1:] > 0)


def test_moments_through_depth_rejects_bad_input():
    with pytest.raises(TypeError, match="^moments_through_depth:"):
        rf.moments_through_depth(relu)
    with pytest.raises(ValueError, match="^moments_through_depth:"):
        rf.moments_through_depth("relu", depth=0)
    with pytest.raises(ValueError, match="^moments_through_depth:"):
        rf.moments_through_depth("no_such_activation", depth=2)


# ---------------------------------------------------------------------------------------
# training small networks
# ---------------------------------------------------------------------------------------

RNG = np.random.default_rng(42)
X = RNG.uniform(-2, 2, size=(64, 2))
Y = np.sin(X[:, 0]) + 0.5 * X[:, 1]


def test_a_network_born_dead_stays_dead_and_only_fits_a_constant():
    X0, Y0 = X.copy(), Y.copy()
    r = rf.train_and_count_dead(X, Y, sizes=[2, 8, 8, 1], bias=-50.0, lr=0.1, steps=200, seed=0)
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)  # inputs untouched
    assert r.n_hidden == 16 and r.inactive_init == 16 and r.inactive_final == 16 and r.frozen == 16
    # only the output bias learns: the best constant has MSE 0.5 * Var(y)
    assert r.final_loss == pytest.approx(0.5 * np.var(Y), rel=1e-3)
    assert r.losses.shape == (200,) and np.all(np.diff(r.losses) <= 1e-12)


def test_a_leak_keeps_every_unit_trainable():
    r = rf.train_and_count_dead(X, Y, sizes=[2, 8, 8, 1], activation="leaky_relu",
                                activation_params={"negative_slope": 0.1}, bias=-50.0, lr=0.01, steps=50, seed=0)
    assert r.inactive_init == 16 and r.frozen == 0


def test_relu_single_hidden_layer_inactive_units_get_no_gradient():
    r = rf.train_and_count_dead(X, Y, sizes=[2, 20, 1], bias=-1.0, lr=0.05, steps=100, seed=1)
    assert r.inactive_final > 0 and r.frozen >= r.inactive_final


def test_train_and_count_dead_survives_divergence_and_checks_input():
    r = rf.train_and_count_dead(X, Y * 1e3, sizes=[2, 8, 1], lr=50.0, steps=50, seed=0)
    assert np.isnan(r.losses[-1])  # stopped early, no exception
    first_nan = int(np.argmax(np.isnan(r.losses)))
    assert first_nan > 0 and np.isfinite(r.final_loss)
    assert r.final_loss == pytest.approx(r.losses[first_nan - 1])  # the last parameters with a finite loss
    with pytest.raises(ValueError, match="^train_and_count_dead:"):
        rf.train_and_count_dead(X, Y, sizes=[3, 4, 1])
    with pytest.raises(TypeError, match="^train_and_count_dead:"):
        rf.train_and_count_dead(X, Y, sizes=[2, 1])
    with pytest.raises(ValueError, match="^train_and_count_dead:"):
        rf.train_and_count_dead(X, Y[:10], sizes=[2, 4, 1])


def test_dead_unit_sweep_averages_the_individual_runs():
    out = rf.dead_unit_sweep(X, Y, [0.0, -50.0], vary="bias", activations=("relu",), seeds=(0, 1),
                             sizes=[2, 6, 1], steps=20, lr=0.05)
    runs = [[rf.train_and_count_dead(X, Y, sizes=[2, 6, 1], steps=20, lr=0.05, bias=b, seed=s) for s in (0, 1)]
            for b in (0.0, -50.0)]
    expect = [np.mean([r.frozen / 6 for r in rs]) for rs in runs]
    np.testing.assert_allclose(out["relu"]["frozen"], expect)
    assert out["relu"]["inactive_init"][1] == 1.0
    with pytest.raises(ValueError, match="^dead_unit_sweep:"):
        rf.dead_unit_sweep(X, Y, [0.1], vary="width", sizes=[2, 4, 1])
    with pytest.raises(ValueError, match="^dead_unit_sweep:"):
        rf.dead_unit_sweep(X, Y, [0.1], vary="lr", lr=0.1, sizes=[2, 4, 1])


def test_loss_curves_shape_and_seeds_differ():
    c = rf.loss_curves(X, Y, sizes=[2, 4, 1], seeds=(0, 1, 2), steps=15)
    assert c.shape == (3, 15) and not np.allclose(c[0], c[1])


def test_prelu_slope_goes_where_the_target_needs_it():
    x = np.linspace(-2, 2, 41)[:, None]
    for target, a_star in ((np.abs(x), -1.0), (x, 1.0), (relu(x), 0.0)):
        s, L, _ = rf.prelu_slope_trajectory(x, target, sizes=[1, 1, 1], lr=0.1, steps=700, seed=0,
                                            first_layer=([[1.0]], [0.0]))
        assert s.shape == (701,) and L.shape == (701,)
        assert s[-1] == pytest.approx(a_star, abs=0.05) and L[-1] < 1e-3


def test_prelu_first_slope_step_is_minus_lr_times_the_numerical_derivative():
    x = np.linspace(-2, 2, 21)[:, None]
    y = np.abs(x)
    s, L, net = rf.prelu_slope_trajectory(x, y, sizes=[1, 3, 1], per_unit=True, lr=0.1, steps=1, seed=5)
    assert s.shape == (2, 3)
    # rebuild the initial network by hand and differentiate the loss in each slope numerically
    from activations.nn import MLP
    ref = MLP([1, 3, 1], activation="prelu", init="he", prelu_per_unit=True, prelu_init=0.25, rng=5)
    W1, b1, W2, b2 = ref.layers[0].W, ref.layers[0].b, ref.layers[1].W, ref.layers[1].b

    def loss(a):
        out = prelu(x @ W1 + b1, a, axis=-1) @ W2 + b2
        return 0.5 * np.sum((out - y) ** 2) / len(x)

    h, grad = 1e-6, np.zeros(3)
    for j in range(3):
        e = np.zeros(3)
        e[j] = h
        grad[j] = (loss(s[0] + e) - loss(s[0] - e)) / (2 * h)
    np.testing.assert_allclose(s[1] - s[0], -0.1 * grad, rtol=1e-5, atol=1e-10)


def test_prelu_slope_trajectory_rejects_bad_input():
    x = np.zeros((4, 1))
    with pytest.raises(ValueError, match="^prelu_slope_trajectory:"):
        rf.prelu_slope_trajectory(x, x, sizes=[1, 2, 1], first_layer=(np.eye(2), np.zeros(2)))
    with pytest.raises(TypeError, match="^prelu_slope_trajectory:"):
        rf.prelu_slope_trajectory(x, x, sizes=[1, 2, 1], per_unit="yes")


# ---------------------------------------------------------------------------------------
# sparse recovery
# ---------------------------------------------------------------------------------------


def test_sparse_recovery_problem():
    A, y, x = rf.sparse_recovery_problem(30, 80, 4, noise=0.0, rng=1)
    assert A.shape == (30, 80) and y.shape == (30,) and x.shape == (80,)
    nz = x[x != 0]
    assert nz.size == 4 and np.all((np.abs(nz) >= 1) & (np.abs(nz) <= 2))
    np.testing.assert_allclose(y, A @ x)
    A2, y2, x2 = rf.sparse_recovery_problem(30, 80, 4, noise=0.0, rng=1)
    assert np.array_equal(A, A2) and np.array_equal(x, x2)
    with pytest.raises(ValueError, match="^sparse_recovery_problem:"):
        rf.sparse_recovery_problem(10, 5, 6)


def test_ista_with_identity_matrix_is_one_soft_threshold():
    y = np.array([-3.0, -0.2, 0.0, 0.4, 2.5])
    r = rf.ista(np.eye(5), y, 0.5, n_iter=3)
    # the lasso with A = I is solved coordinatewise by soft thresholding: sign(y) max(|y| - lam, 0)
    np.testing.assert_allclose(r.x, np.sign(y) * np.maximum(np.abs(y) - 0.5, 0))
    r0 = rf.ista(np.eye(5), y, 0.5, n_iter=3, shrink="hard")
    np.testing.assert_allclose(r0.x, np.where(np.abs(y) > 1.0, y, 0.0))  # hard threshold at sqrt(2 lam)


def test_ista_reaches_the_lasso_optimality_conditions():
    A, y, _ = rf.sparse_recovery_problem(40, 100, 5, noise=0.01, rng=0)
    lam = 0.05
    A0 = A.copy()
    r = rf.ista(A, y, lam, n_iter=5000)
    assert np.array_equal(A, A0)
    g = A.T @ (y - A @ r.x)  # KKT: g_i = lam sign(x_i) on the support, |g_i| <= lam off it
    on = r.x != 0
    np.testing.assert_allclose(g[on], lam * np.sign(r.x[on]), atol=1e-6)
    assert np.all(np.abs(g[~on]) <= lam + 1e-6)
    assert np.all(np.diff(r.objective) <= 1e-12)  # monotone with step 1/||A||^2
    assert r.step == pytest.approx(1 / np.linalg.norm(A, 2) ** 2)
    assert r.objective[-1] == pytest.approx(rf.lasso_objective(A, y, r.x, lam))


def test_lasso_objective_by_hand_and_errors():
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    assert rf.lasso_objective(A, [1.0, 1.0], [1.0, -1.0], 0.5) == pytest.approx(0.5 * (4 + 4) + 0.5 * 2)
    with pytest.raises(ValueError, match="^lasso_objective:"):
        rf.lasso_objective(A, [1.0], [1.0, 1.0], 0.5)
    with pytest.raises(ValueError, match="^ista:"):
        rf.ista(A, [1.0, 1.0], 0.1, shrink="medium")
    with pytest.raises(ValueError, match="^ista:"):
        rf.ista(A, [1.0, 1.0], -0.1)


def test_prox_by_search_finds_softshrink_and_hardshrink():
    v = np.random.default_rng(7).uniform(-4, 4, size=50)
    v = v[np.abs(np.abs(v) - 1.0) > 1e-3]  # stay away from the l0 tie at |v| = sqrt(2 lam)
    v0 = v.copy()
    np.testing.assert_allclose(rf.prox_by_search(v, 0.7, "l1"), softshrink(v, 0.7), atol=1e-4)
    np.testing.assert_allclose(rf.prox_by_search(v, 0.5, "l0"), hardshrink(v, 1.0), atol=1e-4)
    assert np.array_equal(v, v0)
    with pytest.raises(ValueError, match="^prox_by_search:"):
        rf.prox_by_search(v, 0.5, "l2")
