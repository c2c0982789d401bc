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


def _discretised_gaussian(x, mean, std):
    density = stats.norm.pdf(x, mean, std)
    return density / density.sum()


def test_generator_criterion_stays_finite_when_d_star_rounds_to_one():
    # Two Gaussians 40 std apart: where p_data is ~1e-2 and p_g ~1e-300, D* = p/(p+q)
    # rounds to 1 in float64 and a naive log(1 - D*) is -inf. Theorem 1 still holds:
    # JSD is (almost) log 2, so C(G) is (almost) 0.
    x = np.linspace(-10, 50, 6001)
    p, q = _discretised_gaussian(x, 0, 1), _discretised_gaussian(x, 40, 1)
    d_star = theory.optimal_discriminator(p, q)
    assert np.any((d_star == 1.0) & (q > 0)), "the test needs points where D* rounds to 1 but p_g > 0"
    c_of_g = theory.generator_criterion(p, q)
    assert np.isfinite(c_of_g)
    assert c_of_g == pytest.approx(-LOG4 + 2 * theory.jensen_shannon(p, q), abs=1e-12)
    assert c_of_g == pytest.approx(0.0, abs=1e-9)


def test_generator_criterion_finite_over_a_whole_sweep_of_the_generator_mean():
    x = np.linspace(-12, 20, 3201)
    p = _discretised_gaussian(x, 4, 1.25)
    for mean in np.linspace(-6, 14, 81):
        q = _discretised_gaussian(x, mean, 1.25)
        c_of_g = theory.generator_criterion(p, q)
        assert np.isfinite(c_of_g)
        assert c_of_g == pytest.approx(-LOG4 + 2 * theory.jensen_shannon(p, q), abs=1e-10)


def test_kl_divergence_hand_worked_and_of_gaussians():
    # KL((1/2, 1/2) || (1/4, 3/4)) = 1/2 log 2 + 1/2 log(2/3).
    assert theory.kl_divergence([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(2 / 3))
    assert theory.kl_divergence([0.3, 0.7], [0.3, 0.7]) == pytest.approx(0.0, abs=1e-15)
    assert theory.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert theory.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))
    # KL(N(1, 1.5^2) || N(0, 1)) = log(1/1.5) + (1.5^2 + 1) / 2 - 1/2.
    x = np.linspace(-15, 15, 6001)
    expected = np.log(1 / 1.5) + (1.5**2 + 1) / 2 - 0.5
    kl = theory.kl_divergence(_discretised_gaussian(x, 1, 1.5), _discretised_gaussian(x, 0, 1))
    assert kl == pytest.approx(expected, rel=1e-6)


def test_non_saturating_criterion_zero_at_equality_and_gaussian_closed_form():
    x = np.linspace(-12, 20, 3201)
    p = _discretised_gaussian(x, 4, 1.25)
    assert theory.non_saturating_criterion(p, p) == pytest.approx(0.0, abs=1e-12)
    # 8 std apart: JSD is log 2 to many digits, KL(N(a, s^2) || N(b, s^2)) = (a - b)^2 / (2 s^2).
    q = _discretised_gaussian(x, 14, 1.25)
    expected = 10**2 / (2 * 1.25**2) - 2 * np.log(2)
    assert theory.non_saturating_criterion(p, q) == pytest.approx(expected, rel=1e-4)


def test_non_saturating_loss_against_fixed_d_star_descends_the_criterion():
    # Arjovsky & Bottou (2017), Thm. 2.5: with D* frozen at the generator mean mu0, the
    # derivative of E_{p_g}[-log D*] in mu equals that of KL(p_g || p_data) - 2 JSD;
    # likewise E_{p_g}[log(1 - D*)] and C(G). Central differences on a fine grid.
    x = np.linspace(-12, 20, 3201)
    p = _discretised_gaussian(x, 4, 1.25)
    step = 1e-4
    for mu0 in (-2.0, 1.0, 3.5, 6.0):
        # log D* and log(1 - D*) in log space: D* rounds to 1 in float64 far from p_g.
        q0 = _discretised_gaussian(x, mu0, 1.25)
        log_total = np.logaddexp(np.log(p), np.log(q0))
        log_d_star, log_one_minus_d_star = np.log(p) - log_total, np.log(q0) - log_total

        def derivative(f):
            return (f(mu0 + step) - f(mu0 - step)) / (2 * step)

        ns_loss = derivative(lambda mu: np.sum(_discretised_gaussian(x, mu, 1.25) * -log_d_star))
        ns_criterion = derivative(lambda mu: theory.non_saturating_criterion(p, _discretised_gaussian(x, mu, 1.25)))
        minimax_loss = derivative(lambda mu: np.sum(_discretised_gaussian(x, mu, 1.25) * log_one_minus_d_star))
        minimax_criterion = derivative(lambda mu: theory.generator_criterion(p, _discretised_gaussian(x, mu, 1.25)))
        np.testing.assert_allclose(ns_loss, ns_criterion, rtol=1e-5)
        np.testing.assert_allclose(minimax_loss, minimax_criterion, rtol=1e-5)


def test_non_saturating_loss_at_d_star_differs_from_the_criterion_by_a_moving_term():
    # E_q[-log D*] = KL(q || p) - 2 JSD + log 2 + KL(p || m): an identity of values with a
    # term that depends on q, so the criterion is not E_q[-log D*] plus a constant.
    rng = np.random.default_rng(3)
    gaps = []
    for _ in range(5):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        loss = np.sum(q * -np.log(theory.optimal_discriminator(p, q)))
        m = 0.5 * (p + q)
        expected = theory.non_saturating_criterion(p, q) + np.log(2) + theory.kl_divergence(p, m)
        assert loss == pytest.approx(expected)
        gaps.append(loss - theory.non_saturating_criterion(p, q))
    assert np.ptp(gaps) > 1e-3


@pytest.mark.parametrize("call, match", [
    (lambda: theory.optimal_discriminator([0.0, 1.0], [0.0, 1.0]), "undefined where p_data = p_model = 0"),
    (lambda: theory.optimal_discriminator([1.0, 2.0], [1.0]), "same shape"),
    (lambda: theory.optimal_discriminator([1.0, np.nan], [1.0, 1.0]), "must be finite"),
    (lambda: theory.optimal_discriminator([1.0, -1.0], [1.0, 1.0]), "non-negative"),
    (lambda: theory.optimal_discriminator(np.ones((2, 2)), np.ones((2, 2))), "1-D array"),
    (lambda: theory.jensen_shannon([0.5, 0.6], [0.5, 0.5]), "summing to 1, got sum 1.1"),
    (lambda: theory.value_function([0.5, 0.5], [0.5, 0.5], [0.5, 1.5]), r"probabilities in \[0, 1\]"),
    (lambda: theory.kl_divergence([0.5, 0.5], [0.2, 0.2, 0.6]), "same shape"),
    (lambda: theory.kl_divergence([0.5, 0.7], [0.5, 0.5]), "p must be a probability vector"),
    (lambda: theory.non_saturating_criterion([0.5, 0.5], [0.5, 0.6]), "p_model must be a probability vector summing to 1, got sum 1.1"),
    (lambda: theory.generator_criterion([1.0, 0.0], [0.5, -0.5]), "p_model must be non-negative"),
])
def test_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
