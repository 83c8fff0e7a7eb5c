"""Chapter 6 experiments (activations.experiments.likelihood), against independent checks.

The references here do not reuse the module's algorithms: likelihoods are products of
per-toss probabilities (exact rationals where possible), optimal question counts come
from brute force over Kraft-feasible code lengths, game simulations are compared with
the exact expectation within a few standard errors, the maximum-entropy solution with
a closed form (three equally spaced scores) and with the KKT conditions, and gradients
with analytic derivatives.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from activations.experiments import likelihood as L
from activations.nn import MLP

BALLS = np.array([4, 2, 1, 1]) / 8


# --- coin likelihood ---------------------------------------------------------------------

@settings(database=None, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.floats(0.01, 0.99))
def test_log_likelihood_is_the_log_of_the_product_of_toss_probabilities(h, t, theta):
    tosses = [1] * h + [0] * t
    expected = float(np.sum(stats.bernoulli.logpmf(tosses, theta))) if tosses else 0.0
    assert L.bernoulli_log_likelihood(theta, h, t) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_likelihood_matches_exact_rationals():
    for h, t, theta in [(2, 0, Fraction(1, 2)), (3, 1, Fraction(3, 4)), (0, 5, Fraction(1, 10))]:
        exact = theta**h * (1 - theta) ** t
        assert L.bernoulli_likelihood(float(theta), h, t) == pytest.approx(float(exact), rel=1e-14)


def test_log_likelihood_boundaries_follow_0_log_0_equals_0():
    assert L.bernoulli_log_likelihood(0.0, 0, 3) == 0.0
    assert L.bernoulli_log_likelihood(1.0, 3, 0) == 0.0
    assert L.bernoulli_log_likelihood(0.0, 1, 3) == -np.inf
    assert L.bernoulli_log_likelihood(1.0, 3, 1) == -np.inf


@settings(database=None, deadline=None, max_examples=40)
@given(st.integers(0, 40), st.integers(0, 40))
def test_mle_is_the_argmax_of_the_likelihood_on_a_fine_grid(h, t):
    if h + t == 0:
        with pytest.raises(ValueError, match="^bernoulli_mle:"):
            L.bernoulli_mle(h, t)
        return
    grid = np.linspace(0, 1, 20_001)
    best = grid[np.argmax(L.bernoulli_log_likelihood(grid, h, t))]
    assert abs(L.bernoulli_mle(h, t) - best) <= 5e-5
    rel = L.bernoulli_likelihood(grid, h, t, relative=True)
    assert rel.max() <= 1.0 + 1e-12 and rel.min() >= 0.0
    assert L.bernoulli_likelihood(L.bernoulli_mle(h, t), h, t, relative=True) == pytest.approx(1.0, abs=1e-12)


def test_relative_likelihood_does_not_underflow_for_many_tosses():
    rel = L.bernoulli_likelihood(np.array([0.3, 0.31]), 3000, 7000, relative=True)
    assert rel[0] == pytest.approx(1.0) and 0 < rel[1] < 1
    assert L.bernoulli_likelihood(0.3, 3000, 7000) == 0.0  # the raw product does underflow


def test_likelihood_without_data_is_flat():
    assert np.all(L.bernoulli_likelihood(np.linspace(0, 1, 7), 0, 0, relative=True) == 1.0)


def test_coin_errors_name_the_function():
    with pytest.raises(ValueError, match="^bernoulli_log_likelihood: theta"):
        L.bernoulli_log_likelihood(1.5, 1, 1)
    with pytest.raises(TypeError, match="^bernoulli_likelihood: heads"):
        L.bernoulli_likelihood(0.5, 1.5, 1)
    with pytest.raises(ValueError, match="^bernoulli_mle: tails"):
        L.bernoulli_mle(1, -1)
    with pytest.raises(TypeError, match="^bernoulli_likelihood: relative"):
        L.bernoulli_likelihood(0.5, 1, 1, relative="yes")
    theta = np.array([0.2, 0.5])
    L.bernoulli_log_likelihood(theta, 2, 3)
    assert theta.tolist() == [0.2, 0.5]


# --- question games ----------------------------------------------------------------------

def test_twenty_questions_example():
    tree = L.huffman_tree(BALLS)
    names = ["red", "yellow", "white", "black"]
    assert L.describe_tree(tree, names) == [
        "Is it red?", "  yes: red", "  no: Is it yellow?", "    yes: yellow", "    no: Is it white?",
        "      yes: white", "      no: black",
    ]
    assert L.question_counts(tree, 4).tolist() == [1, 2, 3, 3]
    assert L.expected_questions(tree, BALLS) == 1.75
    assert L.expected_questions(L.sequential_tree([3, 2, 1, 0]), BALLS) == 2.625
    assert L.expected_questions(L.balanced_tree(4), BALLS) == 2.0


def brute_force_optimum(p):
    """Smallest sum p_i l_i over integer lengths with Kraft sum <= 1 (all achievable by prefix codes)."""
    n = len(p)
    best = math.inf
    for lengths in itertools.product(range(1, n), repeat=n):
        if sum(Fraction(1, 2**k) for k in lengths) <= 1:
            best = min(best, sum(pi * k for pi, k in zip(p, lengths)))
    return best


@settings(database=None, deadline=None, max_examples=40)
@given(st.lists(st.integers(1, 50), min_size=2, max_size=5))
def test_huffman_is_optimal_and_within_one_question_of_the_entropy(weights):
    p = np.array(weights, float) / sum(weights)
    tree = L.huffman_tree(p)
    depths = L.question_counts(tree, p.size)
    assert sum(2.0 ** -depths) == pytest.approx(1.0)  # a full binary tree
    e = L.expected_questions(tree, p)
    assert e == pytest.approx(brute_force_optimum(p.tolist()), abs=1e-12)
    h2 = -np.sum(p * np.log2(p))
    assert h2 - 1e-12 <= e < h2 + 1


def test_dyadic_distributions_cost_exactly_their_entropy():
    for p in ([0.5, 0.5], [0.5, 0.25, 0.125, 0.125], [0.25] * 4, [1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 16]):
        p = np.array(p)
        assert L.expected_questions(L.huffman_tree(p), p) == -np.sum(p * np.log2(p))


def test_sequential_and_balanced_question_counts():
    assert L.question_counts(L.sequential_tree([0, 1, 2, 3, 4]), 5).tolist() == [1, 2, 3, 4, 4]
    assert L.question_counts(L.sequential_tree([4, 0, 3, 1, 2]), 5).tolist() == [2, 4, 4, 3, 1]
    for n in range(1, 20):
        d = L.question_counts(L.balanced_tree(n), n)
        assert set(d.tolist()) <= {math.floor(math.log2(n)), math.ceil(math.log2(n))}
        assert sum(2.0 ** -d) == pytest.approx(1.0)
    assert L.sequential_tree([0]) == 0 and L.balanced_tree(1) == 0


@pytest.mark.parametrize("tree", [L.huffman_tree(BALLS), L.sequential_tree([3, 2, 1, 0]), L.balanced_tree(4)])
def test_simulation_agrees_with_the_exact_expectation(tree):
    game = L.simulate_questions(tree, BALLS, 50_000, rng=7)
    depths = L.question_counts(tree, 4)
    assert np.array_equal(game.questions, depths[game.outcomes])  # each draw asked exactly its depth
    se = game.questions.std() / math.sqrt(game.questions.size)
    assert abs(game.questions.mean() - L.expected_questions(tree, BALLS)) < 5 * se + 1e-12
    freq = np.bincount(game.outcomes, minlength=4) / game.outcomes.size
    assert np.allclose(freq, BALLS, atol=0.01)


def test_simulation_is_seeded_and_leaves_inputs_alone():
    p = BALLS.copy()
    a = L.simulate_questions(L.huffman_tree(p), p, 1000, rng=3)
    b = L.simulate_questions(L.huffman_tree(p), p, 1000, rng=np.random.default_rng(3))
    assert np.array_equal(a.questions, b.questions) and np.array_equal(a.outcomes, b.outcomes)
    assert np.array_equal(p, BALLS)


def test_invalid_trees_and_inputs():
    with pytest.raises(ValueError, match="^question_counts: the tree never identifies"):
        L.question_counts(L.Question(0, 1), 3)
    with pytest.raises(ValueError, match="^question_counts: outcome 0 appears more than once"):
        L.question_counts(L.Question(0, L.Question(0, 1)), 2)
    with pytest.raises(ValueError, match="^expected_questions: tree has leaf 5"):
        L.expected_questions(L.Question(0, 5), [0.5, 0.5])
    with pytest.raises(TypeError, match="^question_counts: tree leaves"):
        L.question_counts(L.Question(0, "b"), 2)
    with pytest.raises(ValueError, match="^huffman_tree: p must sum to 1"):
        L.huffman_tree([0.5, 0.6])
    with pytest.raises(ValueError, match="^huffman_tree: p must be non-negative"):
        L.huffman_tree([1.5, -0.5])
    with pytest.raises(ValueError, match="^sequential_tree: order must be a permutation"):
        L.sequential_tree([0, 2])
    with pytest.raises(TypeError, match="^sequential_tree: outcome indices"):
        L.sequential_tree([0.0, 1.0])
    with pytest.raises(ValueError, match="^simulate_questions: n_draws must be >= 1"):
        L.simulate_questions(L.balanced_tree(2), [0.5, 0.5], 0)
    with pytest.raises(TypeError, match="^simulate_questions: rng"):
        L.simulate_questions(L.balanced_tree(2), [0.5, 0.5], 10, rng="seed")
    with pytest.raises(TypeError, match="^describe_tree: names"):
        L.describe_tree(L.balanced_tree(2), "ab")


# --- maximum entropy ---------------------------------------------------------------------

@settings(database=None, deadline=None)
@given(st.floats(0.05, 1.95))
def test_maxent_matches_the_closed_form_for_scores_0_1_2(mu):
    # p proportional to (1, x, x^2) with x = e^beta; the mean constraint is a quadratic in x
    a, b, c = 2 - mu, 1 - mu, -mu
    x = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    expected = np.array([1, x, x * x]) / (1 + x + x * x)
    r = L.maxent_distribution([0.0, 1.0, 2.0], mu)
    assert np.allclose(r.p, expected, rtol=1e-10, atol=1e-14)
    assert r.beta == pytest.approx(math.log(x), rel=1e-9, abs=1e-12)


@settings(database=None, deadline=None, max_examples=30)
@given(st.lists(st.integers(-20, 20), min_size=3, max_size=6, unique=True), st.floats(0.05, 0.95))
def test_maxent_satisfies_constraints_and_kkt(scores, frac):
    s = np.array(scores) / 4
    mu = s.min() + frac * (s.max() - s.min())
    r = L.maxent_distribution(s, mu)
    assert r.p.sum() == pytest.approx(1.0, abs=1e-12)
    assert r.p @ s == pytest.approx(mu, abs=1e-9)
    if np.all(r.p > 1e-250):
        # KKT: log p_i is an affine function of s_i with slope beta
        slope, intercept = np.polyfit(s, np.log(r.p), 1)
        assert slope == pytest.approx(r.beta, rel=1e-6, abs=1e-8)


def test_maxent_beta_zero_is_uniform_and_the_sign_of_beta_follows_mu():
    s = np.array([1.0, 2.0, 3.0, 6.0])
    r = L.maxent_distribution(s, s.mean())
    assert r.beta == 0.0 and np.allclose(r.p, 0.25)
    assert L.maxent_distribution(s, 4.0).beta > 0 > L.maxent_distribution(s, 2.0).beta


def test_numerical_maxent_agrees_with_the_softmax_solution():
    s = np.array([0.5, -1.0, 2.0, 3.0, 0.0])
    for mu in (-0.5, 0.9, 2.5):
        assert np.max(np.abs(L.maxent_numerical(s, mu) - L.maxent_distribution(s, mu).p)) < 1e-6


def entropy_nats(p):
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def test_random_feasible_distributions_meet_the_constraints_and_have_lower_entropy():
    s = np.array([1.0, 2.0, 3.0, 5.0])
    mu = 3.5
    P = L.random_feasible_distributions(s, mu, 500, rng=11)
    assert P.shape == (500, 4) and np.all(P >= 0)
    assert np.allclose(P.sum(axis=1), 1.0, atol=1e-12) and np.allclose(P @ s, mu, atol=1e-9)
    h_star = entropy_nats(L.maxent_distribution(s, mu).p)
    assert max(entropy_nats(p) for p in P) < h_star
    assert np.ptp(P, axis=0).min() > 0.01  # genuinely different distributions


def test_random_feasible_distributions_are_uniform_on_a_segment_for_three_outcomes():
    # For scores (0, 1, 2) the feasible set is the segment p = (1 - mu + c, mu - 2c, c); hit-and-run
    # on a segment draws every point independently and uniformly, so a KS test applies.
    mu = 0.8
    P = L.random_feasible_distributions([0.0, 1.0, 2.0], mu, 2000, rng=5)
    c_lo, c_hi = max(0.0, mu - 1.0), mu / 2
    assert np.allclose(P[:, 1], mu - 2 * P[:, 2], atol=1e-12)
    assert stats.kstest(P[:, 2], stats.uniform(c_lo, c_hi - c_lo).cdf).pvalue > 1e-3


def test_maxent_errors():
    with pytest.raises(ValueError, match="^maxent_distribution: mu must lie strictly between"):
        L.maxent_distribution([0.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="^maxent_numerical: scores must be a 1-D array"):
        L.maxent_numerical([1.0], 0.5)
    with pytest.raises(TypeError, match="^maxent_distribution: mu must be a real number"):
        L.maxent_distribution([0.0, 1.0], "0.5")
    with pytest.raises(ValueError, match="^random_feasible_distributions: with 2 outcomes"):
        L.random_feasible_distributions([0.0, 1.0], 0.5, 3)
    s = np.array([0.0, 1.0, 2.0])
    L.maxent_distribution(s, 1.5)
    L.random_feasible_distributions(s, 1.5, 2, rng=0)
    assert s.tolist() == [0.0, 1.0, 2.0]


# --- classifier likelihood ---------------------------------------------------------------

def test_gaussian_blobs_shapes_labels_and_seed():
    centers = [[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]]
    X, y = L.gaussian_blobs(centers, 400, std=0.5, rng=1)
    assert X.shape == (1200, 2) and y.tolist() == [0] * 400 + [1] * 400 + [2] * 400
    for k, c in enumerate(centers):
        assert np.allclose(X[y == k].mean(axis=0), c, atol=0.1)
        assert np.allclose(X[y == k].std(axis=0), 0.5, atol=0.06)
    X2, _ = L.gaussian_blobs(centers, 400, std=0.5, rng=1)
    assert np.array_equal(X, X2)
    with pytest.raises(ValueError, match="^gaussian_blobs: std must be > 0"):
        L.gaussian_blobs(centers, 3, std=0.0)


def test_mean_log_likelihood_is_the_log_of_the_product_over_n():
    q = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    y = np.array([0, 2, 1])
    expected = math.log(0.7 * 0.8 * 0.4) / 3
    assert L.mean_log_likelihood(q, y) == pytest.approx(expected, rel=1e-15)
    assert L.mean_log_likelihood(np.array([[0.0, 1.0]]), np.array([0])) == -np.inf
    with pytest.raises(TypeError, match="^mean_log_likelihood: y must be integer"):
        L.mean_log_likelihood(q, y.astype(float))
    with pytest.raises(ValueError, match="^mean_log_likelihood: class indices"):
        L.mean_log_likelihood(q, np.array([0, 3, 1]))


def test_training_minimises_cross_entropy_which_is_minus_the_log_likelihood():
    X, y = L.gaussian_blobs([[0, 0], [3, 0], [0, 3]], 30, std=0.8, rng=2)
    Xc, yc = X.copy(), y.copy()
    net = MLP([2, 3], output="identity", rng=0)
    W0 = net.layers[0].W.copy()
    trace = L.train_and_track(net, X, y, steps=60, lr=0.5)
    assert trace.cross_entropy.shape == trace.log_likelihood.shape == (60,)
    assert np.max(np.abs(trace.cross_entropy + trace.log_likelihood)) < 1e-12
    assert trace.cross_entropy[-1] < 0.5 * trace.cross_entropy[0]
    assert trace.cross_entropy[0] == pytest.approx(MLP([2, 3], output="identity", rng=0).loss(X, y, "cross_entropy"))
    assert not np.array_equal(net.layers[0].W, W0)
    assert np.array_equal(X, Xc) and np.array_equal(y, yc)
    with pytest.raises(TypeError, match="^train_and_track: net must be"):
        L.train_and_track("net", X, y, 1, 0.1)
    with pytest.raises(ValueError, match="^train_and_track: lr must be > 0"):
        L.train_and_track(net, X, y, 1, 0.0)


def test_central_difference_grad_matches_analytic_gradients():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    g = L.central_difference_grad(lambda v: float(np.sum(np.sin(v) * v**2)), x)
    assert g.shape == x.shape
    assert np.allclose(g, np.cos(x) * x**2 + 2 * x * np.sin(x), atol=1e-8)
    g = L.central_difference_grad(lambda v: float(np.log(np.sum(np.exp(v)))), [1.0, 2.0, 3.0])
    e = np.exp([1.0, 2.0, 3.0])
    assert np.allclose(g, e / e.sum(), atol=1e-9)
    with pytest.raises(TypeError, match="^central_difference_grad: f must be callable"):
        L.central_difference_grad(3, x)
    with pytest.raises(ValueError, match="^central_difference_grad: f must return a scalar"):
        L.central_difference_grad(lambda v: v, x)
    with pytest.raises(ValueError, match="^central_difference_grad: h must be > 0"):
        L.central_difference_grad(np.sum, x, h=-1.0)
