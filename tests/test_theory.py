import numpy as np
import pytest
from scipy import stats

from gan_lessons import theory

LOG4 = np.log(4.0)


def test_optimal_discriminator_hand_worked():
    # D* = p / (p + q): 0.3 / (0.3 + 0.1) = 0.75, 0.2 / 0.4 = 0.5, 0 / 0.5 = 0.
    np.testing.assert_allclose(
        theory.optimal_discriminator([0.3, 0.2, 0.0], [0.1, 0.2, 0.5]), [0.75, 0.5, 0.0]
    )


def test_optimal_discriminator_of_two_gaussians_matches_the_log_odds():
    # For N(0, 1) vs N(2, 1), logit D*(x) = log p(x) - log q(x) = 2 - 2x.
    x = np.linspace(-4, 6, 201)
    d_star = theory.optimal_discriminator(stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 2, 1))
    np.testing.assert_allclose(np.log(d_star / (1 - d_star)), 2 - 2 * x, atol=1e-8)
    assert d_star[np.argmin(np.abs(x - 1.0))] == pytest.approx(0.5)


def test_jensen_shannon_identical_and_disjoint():
    p = np.array([0.2, 0.3, 0.5])
    assert theory.jensen_shannon(p, p) == pytest.approx(0.0, abs=1e-12)
    assert theory.jensen_shannon([0.5, 0.5, 0, 0], [0, 0, 0.4, 0.6]) == pytest.approx(np.log(2))


def test_jensen_shannon_hand_worked_and_symmetric():
    # p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4);
    # KL(p||m) = log(4/3); KL(q||m) = 1/2 log(2/3) + 1/2 log 2.
    expected = 0.5 * np.log(4 / 3) + 0.5 * (0.5 * np.log(2 / 3) + 0.5 * np.log(2))
    assert theory.jensen_shannon([1, 0], [0.5, 0.5]) == pytest.approx(expected)
    assert theory.jensen_shannon([0.5, 0.5], [1, 0]) == pytest.approx(expected)


def test_jensen_shannon_matches_scipy():
    from scipy.spatial.distance import jensenshannon

    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(10)), rng.dirichlet(np.ones(10))
    # scipy returns the JS *distance*, the square root of the divergence.
    assert theory.jensen_shannon(p, q) == pytest.approx(jensenshannon(p, q) ** 2)


def test_value_function_hand_worked():
    # p = (1/2, 1/2), q = (0, 1), D = (1/2, 1/4):
    # V = 1/2 log 1/2 + 1/2 log 1/4 + 1 * log(3/4).
    expected = 0.5 * np.log(0.5) + 0.5 * np.log(0.25) + np.log(0.75)
    assert theory.value_function([0.5, 0.5], [0.0, 1.0], [0.5, 0.25]) == pytest.approx(expected)


def test_generator_criterion_is_minus_log4_at_equality_and_matches_theorem_1():
    p = np.array([0.1, 0.4, 0.5])
    assert theory.generator_criterion(p, p) == pytest.approx(-LOG4)
    rng = np.random.default_rng(1)
    for _ in range(5):
        p, q = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
        assert theory.generator_criterion(p, q) == pytest.approx(-LOG4 + 2 * theory.jensen_shannon(p, q))
    # Disjoint supports: C(G) = -log 4 + 2 log 2 = 0.
    assert theory.generator_criterion([1, 0], [0, 1]) == pytest.approx(0.0, abs=1e-12)


def test_no_discriminator_beats_d_star():
    rng = np.random.default_rng(2)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    best = theory.generator_criterion(p, q)
    for _ in range(20):
        assert theory.value_function(p, q, rng.uniform(0.01, 0.99, 5)) <= best + 1e-12


@pytest.mark.parametrize("call, match", [
    (lambda: theory.optimal_discriminator([0.0, 1.0], [0.0, 1.0]), "undefined where p_data = p_model = 0"),
    (lambda: theory.optimal_discriminator([1.0, 2.0], [1.0]), "same shape"),
    (lambda: theory.optimal_discriminator([1.0, np.nan], [1.0, 1.0]), "must be finite"),
    (lambda: theory.optimal_discriminator([1.0, -1.0], [1.0, 1.0]), "non-negative"),
    (lambda: theory.optimal_discriminator(np.ones((2, 2)), np.ones((2, 2))), "1-D array"),
    (lambda: theory.jensen_shannon([0.5, 0.6], [0.5, 0.5]), "summing to 1, got sum 1.1"),
    (lambda: theory.value_function([0.5, 0.5], [0.5, 0.5], [0.5, 1.5]), r"probabilities in \[0, 1\]"),
])
def test_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
