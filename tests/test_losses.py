import keras
import numpy as np
import pytest

from gan_lessons import losses

LOGITS_REAL = np.array([[2.0], [-1.0], [0.5]], dtype=np.float32)
LOGITS_FAKE = np.array([[-3.0], [0.0], [1.0]], dtype=np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_discriminator_loss_hand_worked():
    # D(x) = sigmoid(0) = 1/2 for both: loss = -log 1/2 - log 1/2 = log 4.
    zero = np.zeros((4, 1), np.float32)
    assert float(losses.cross_entropy_d_loss(zero, zero)) == pytest.approx(np.log(4))


def test_discriminator_loss_matches_keras_binary_crossentropy():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    expected = float(bce(np.ones_like(LOGITS_REAL), LOGITS_REAL)) + float(bce(np.zeros_like(LOGITS_FAKE), LOGITS_FAKE))
    assert float(losses.cross_entropy_d_loss(LOGITS_REAL, LOGITS_FAKE)) == pytest.approx(expected, rel=1e-5)


def test_generator_losses_match_their_formulas():
    d_fake = sigmoid(LOGITS_FAKE)
    assert float(losses.minimax_g_loss(LOGITS_FAKE)) == pytest.approx(np.mean(np.log(1 - d_fake)), rel=1e-5)
    assert float(losses.non_saturating_g_loss(LOGITS_FAKE)) == pytest.approx(-np.mean(np.log(d_fake)), rel=1e-5)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    assert float(losses.non_saturating_g_loss(LOGITS_FAKE)) == pytest.approx(
        float(bce(np.ones_like(LOGITS_FAKE), LOGITS_FAKE)), rel=1e-5
    )


def test_generator_gradients_saturate_only_for_the_minimax_loss():
    import tensorflow as tf

    # A fake that D rejects confidently: logit -8, D = 3.4e-4.
    logit = tf.Variable([[-8.0]])
    with tf.GradientTape(persistent=True) as tape:
        minimax = losses.minimax_g_loss(logit)
        non_saturating = losses.non_saturating_g_loss(logit)
    d = sigmoid(-8.0)
    assert float(tape.gradient(minimax, logit)[0, 0]) == pytest.approx(-d, rel=1e-4)
    assert float(tape.gradient(non_saturating, logit)[0, 0]) == pytest.approx(d - 1, rel=1e-4)


def test_least_squares_losses_hand_worked_with_half_factors():
    d_real = np.array([[1.0], [0.0]], np.float32)
    d_fake = np.array([[0.5], [-0.5]], np.float32)
    # 1/2 mean((d_real - 1)^2) = 1/2 * 1/2 = 0.25; 1/2 mean(d_fake^2) = 1/2 * 0.25 = 0.125.
    assert float(losses.least_squares_d_loss(d_real, d_fake)) == pytest.approx(0.375)
    # a = -1, b = 1: 1/2 mean((0, -1)^2) + 1/2 mean((1.5, 0.5)^2) = 0.25 + 0.625.
    assert float(losses.least_squares_d_loss(d_real, d_fake, a=-1.0, b=1.0)) == pytest.approx(0.875)
    # 1/2 mean((d_fake - 1)^2) = 1/2 * (0.25 + 2.25) / 2 = 0.625; with c = 0: 0.125.
    assert float(losses.least_squares_g_loss(d_fake)) == pytest.approx(0.625)
    assert float(losses.least_squares_g_loss(d_fake, c=0.0)) == pytest.approx(0.125)


def test_least_squares_matches_keras_mean_squared_error():
    mse = keras.losses.MeanSquaredError()
    expected = 0.5 * float(mse(np.ones_like(LOGITS_REAL), LOGITS_REAL)) + 0.5 * float(mse(np.zeros_like(LOGITS_FAKE), LOGITS_FAKE))
    assert float(losses.least_squares_d_loss(LOGITS_REAL, LOGITS_FAKE)) == pytest.approx(expected, rel=1e-5)


def test_wasserstein_losses():
    assert float(losses.wasserstein_d_loss(LOGITS_REAL, LOGITS_FAKE)) == pytest.approx(
        LOGITS_FAKE.mean() - LOGITS_REAL.mean()
    )
    assert float(losses.wasserstein_g_loss(LOGITS_FAKE)) == pytest.approx(-LOGITS_FAKE.mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_penalty_of_a_linear_critic(seed):
    # f(x) = w.x has gradient w everywhere, so the penalty is lambda (||w|| - 1)^2
    # whatever the interpolation.
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(3, 1)).astype(np.float32)
    real = rng.normal(size=(16, 3)).astype(np.float32)
    fake = rng.normal(size=(16, 3)).astype(np.float32)
    epsilon = rng.uniform(size=16).astype(np.float32)
    penalty = losses.gradient_penalty(lambda x: x @ w, real, fake, weight=10.0, epsilon=epsilon)
    assert float(penalty) == pytest.approx(10.0 * (np.linalg.norm(w) - 1) ** 2, rel=1e-4)
    drawn = losses.gradient_penalty(lambda x: x @ w, real, fake, weight=10.0, seed=seed)
    assert float(drawn) == pytest.approx(float(penalty), rel=1e-4)


def test_loss_pairs_by_name():
    assert set(losses.LOSS_PAIRS) == {"minimax", "non_saturating", "least_squares", "least_squares_pearson", "wasserstein"}
    pair = losses.get_loss_pair("least_squares_pearson")
    d_real, d_fake = LOGITS_REAL, LOGITS_FAKE
    assert float(pair.d_loss(d_real, d_fake)) == pytest.approx(float(losses.least_squares_d_loss(d_real, d_fake, a=-1, b=1)))
    assert float(pair.g_loss(d_fake)) == pytest.approx(float(losses.least_squares_g_loss(d_fake, c=0)))
    assert losses.get_loss_pair(pair) is pair


def test_unknown_loss_name_is_refused():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; expected one of \['least_squares'"):
        losses.get_loss_pair("hinge")
    with pytest.raises(TypeError, match="loss must be a name or a LossPair"):
        losses.get_loss_pair(3)


def test_one_sided_label_smoothing_hand_worked():
    # Real logit 2, fake logit -1, real label 0.9:
    # 0.9 softplus(-2) + 0.1 softplus(2) + softplus(-1)
    # = 0.9 * 0.126928 + 0.1 * 2.126928 + 0.313262 = 0.640190.
    loss = losses.cross_entropy_d_loss(np.array([[2.0]]), np.array([[-1.0]]), real_target=0.9)
    assert float(loss) == pytest.approx(0.640190, abs=1e-5)
    # The default label 1 is the unsmoothed loss, softplus(-2) + softplus(-1).
    assert float(losses.cross_entropy_d_loss(np.array([[2.0]]), np.array([[-1.0]]))) == pytest.approx(
        0.126928 + 0.313262, abs=1e-5
    )


def test_label_smoothing_matches_keras_smoothed_cross_entropy_on_real_data():
    # keras' label_smoothing s turns label 1 into 1 - s/2; s = 0.2 gives 0.9 (fake term left out).
    bce = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)
    expected = float(bce(np.ones_like(LOGITS_REAL), LOGITS_REAL))
    fake_term = float(losses.cross_entropy_d_loss(np.full((3, 1), 50.0), LOGITS_FAKE))  # real part ~0
    got = float(losses.cross_entropy_d_loss(LOGITS_REAL, LOGITS_FAKE, real_target=0.9)) - fake_term
    assert got == pytest.approx(expected, rel=1e-5)


def test_label_smoothed_pair_uses_the_smoothed_d_loss_and_the_usual_g_loss():
    pair = losses.label_smoothed_non_saturating(0.9)
    assert float(pair.d_loss(LOGITS_REAL, LOGITS_FAKE)) == pytest.approx(
        float(losses.cross_entropy_d_loss(LOGITS_REAL, LOGITS_FAKE, real_target=0.9)))
    assert float(pair.d_loss(LOGITS_REAL, LOGITS_FAKE)) != pytest.approx(
        float(losses.cross_entropy_d_loss(LOGITS_REAL, LOGITS_FAKE)))
    assert float(pair.g_loss(LOGITS_FAKE)) == pytest.approx(float(losses.non_saturating_g_loss(LOGITS_FAKE)))


@pytest.mark.parametrize("target", [0.0, -0.1, 1.1, True])
def test_bad_real_target_is_refused(target):
    with pytest.raises(ValueError, match=r"real_target must be a number in \(0, 1\]"):
        losses.cross_entropy_d_loss(LOGITS_REAL, LOGITS_FAKE, real_target=target)
    with pytest.raises(ValueError, match="real_target"):
        losses.label_smoothed_non_saturating(target)


def test_gradient_penalty_per_example_terms_average_to_the_penalty():
    import tensorflow as tf

    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)])
    real = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    fake = np.random.default_rng(1).normal(size=(6, 3)).astype("float32")
    epsilon = np.linspace(0.0, 1.0, 6)
    terms = losses.gradient_penalty(critic, real, fake, weight=10.0, epsilon=epsilon, per_example=True)
    mean = losses.gradient_penalty(critic, real, fake, weight=10.0, epsilon=epsilon)
    assert tuple(terms.shape) == (6,)
    assert float(tf.reduce_min(terms)) >= 0.0
    np.testing.assert_allclose(float(tf.reduce_mean(terms)), float(mean), rtol=1e-6)


@pytest.mark.parametrize("per_example", [False, True])
def test_gradient_penalty_interpolates_where_the_critic_is_curved(per_example):
    # f(x) = 1/2 ||x||^2 has gradient x, so the penalty at x_hat = e x + (1 - e) g is
    # lambda (||x_hat|| - 1)^2: it depends on every interpolation weight e (a linear
    # critic, whose gradient is the same everywhere, would not notice a wrong x_hat).
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(5, 3)).astype("float32")
    epsilon = np.array([0.0, 0.25, 0.5, 0.9, 1.0], dtype="float32")
    interpolated = epsilon[:, None] * real + (1 - epsilon[:, None]) * fake
    expected = 10.0 * (np.linalg.norm(interpolated, axis=1) - 1.0) ** 2

    def critic(x):
        return 0.5 * keras.ops.sum(x**2, axis=1, keepdims=True)

    got = np.asarray(losses.gradient_penalty(critic, real, fake, weight=10.0, epsilon=epsilon, per_example=per_example))
    np.testing.assert_allclose(got, expected if per_example else expected.mean(), rtol=1e-5)


@pytest.mark.parametrize("call, match", [
    (lambda: losses.cross_entropy_d_loss([[np.nan], [0.0]], [[0.0], [1.0]]),
     "real_logits must be finite, got 1 NaN or infinite values"),
    (lambda: losses.least_squares_g_loss(np.full((3, 1), np.inf)), "d_fake must be finite, got 3 NaN"),
    (lambda: losses.non_saturating_g_loss(np.zeros((0, 1))), r"fake_logits must hold at least one example, got shape \(0, 1\)"),
    (lambda: losses.wasserstein_d_loss(np.zeros((0, 1)), np.zeros((0, 1))), "critic_real must hold at least one example"),
    (lambda: losses.wasserstein_d_loss(np.zeros((4, 1)), np.zeros((3, 1))),
     r"critic_real and critic_fake must have the same shape .*, got \(4, 1\) and \(3, 1\)"),
    (lambda: losses.least_squares_d_loss(np.zeros((4, 1)), np.zeros((4,))), r"must have the same shape .*\(4, 1\) and \(4,\)"),
    (lambda: losses.minimax_g_loss(np.zeros((4, 2))),
     r"fake_logits must hold one score per example, shape \(batch, 1\) or \(batch,\); got shape \(4, 2\)"),
    (lambda: losses.minimax_g_loss(0.5), r"one score per example.*got shape \(\)"),
])
def test_losses_refuse_nan_empty_and_mismatched_scores(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_losses_inside_a_compiled_step_check_shapes_only():
    import tensorflow as tf

    traced = tf.function(losses.wasserstein_d_loss, input_signature=[tf.TensorSpec((None, 1))] * 2)
    assert float(traced(np.ones((3, 1), np.float32), np.zeros((3, 1), np.float32))) == -1.0
    # Values are not read inside the graph (that would cost a wait per step): NaN passes through.
    assert np.isnan(float(traced(np.full((3, 1), np.nan, np.float32), np.zeros((3, 1), np.float32))))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"weight": -10.0}, ValueError, "weight must be a finite number >= 0, got -10.0"),
    ({"weight": "10"}, TypeError, "weight must be a number, got str: '10'"),
    ({"fake": np.zeros((3, 2), np.float32)}, ValueError,
     r"real and fake must have the same shape \(batch, ...\), got \(4, 2\) and \(3, 2\)"),
    ({"real": np.zeros((0, 2), np.float32), "fake": np.zeros((0, 2), np.float32)}, ValueError,
     r"real and fake must hold at least one example each, got shape \(0, 2\)"),
    ({"real": np.full((4, 2), np.nan, np.float32)}, ValueError, "real must be finite"),
])
def test_gradient_penalty_refuses_bad_arguments(kwargs, error, match):
    arguments = {"critic": lambda x: x[:, :1], "real": np.zeros((4, 2), np.float32), "fake": np.ones((4, 2), np.float32)}
    with pytest.raises(error, match=match):
        losses.gradient_penalty(**{**arguments, **kwargs})


def test_every_pair_the_package_builds_is_found_again_by_its_name():
    for pair in [*losses.LOSS_PAIRS.values(), losses.label_smoothed_non_saturating(0.85)]:
        rebuilt = losses.get_loss_pair(losses.loss_pair_name(pair))
        assert rebuilt.name == pair.name
        real, fake = np.array([[0.3], [-1.2]], np.float32), np.array([[2.0], [0.1]], np.float32)
        assert float(rebuilt.d_loss(real, fake)) == float(pair.d_loss(real, fake))
    with pytest.raises(ValueError, match="hand-made loss pair 'mine' cannot be saved"):
        losses.loss_pair_name(losses.LossPair("mine", losses.wasserstein_d_loss, losses.wasserstein_g_loss))
