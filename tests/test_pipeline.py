"""make_dataset's stream: batch k is a function of (seed, k), so it can start anywhere."""

import numpy as np
import pytest
import tensorflow as tf

from gan_lessons import config, fit_checks, models, pipeline, training

ROWS = np.arange(26, dtype=np.float32).reshape(13, 2)  # row i holds 2i, 2i + 1


def batches(dataset, count):
    iterator = iter(dataset)
    return [tf.nest.map_structure(lambda tensor: tensor.numpy(), next(iterator)) for _ in range(count)]


def test_each_pass_is_a_permutation_drawn_from_the_seed_and_the_pass_number():
    stream = batches(training.make_dataset(ROWS, 4, seed=1), 9)  # 3 batches per pass, 1 row left out each pass
    passes = [np.concatenate(stream[start : start + 3])[:, 0] // 2 for start in (0, 3, 6)]
    for rows in passes:
        assert len(set(rows.tolist())) == 12 and set(rows.tolist()) <= set(range(13))
    assert len({tuple(rows) for rows in passes}) == 3  # a fresh order every pass
    np.testing.assert_array_equal(np.concatenate(stream), np.concatenate(batches(training.make_dataset(ROWS, 4, seed=1), 9)))
    assert not np.array_equal(np.concatenate(stream), np.concatenate(batches(training.make_dataset(ROWS, 4, seed=2), 9)))


def test_a_stream_started_at_step_k_continues_the_one_started_at_zero():
    dataset = training.make_dataset(ROWS, 4, seed=1, conditions=np.eye(13, 3, dtype=np.float32))
    from_zero = batches(dataset, 10)
    from_seven = batches(pipeline.stream_from(dataset, 7), 3)
    for expected, got in zip(from_zero[7:], from_seven):
        for part_expected, part_got in zip(expected, got):
            np.testing.assert_array_equal(part_expected, part_got)


def test_fit_continues_the_stream_where_the_gan_stopped():
    config.set_seed(0)
    gan = training.GAN(models.mlp_generator(2, 2, (4,)), models.mlp_discriminator(2, (4,)), seed=0)
    gan.compile(jit_compile=False)
    dataset = training.make_dataset(ROWS, 4, seed=1)
    gan.fit(dataset, epochs=1, steps_per_epoch=5, verbose=0)
    assert int(gan.steps_trained) == 5
    # The stream fit would use next starts at the GAN's step count, read when iterated.
    continued = pipeline.stream_from(dataset, gan.steps_trained)
    np.testing.assert_array_equal(batches(continued, 1)[0], batches(dataset, 6)[5])


def test_other_datasets_are_left_as_they_are():
    plain = tf.data.Dataset.from_tensor_slices(ROWS).batch(4)
    assert pipeline.stream_from(plain, 3) is plain


@pytest.mark.parametrize("seed, error, match", [
    (-1, ValueError, "seed must be >= 0, got -1"),
    (1.5, TypeError, "seed must be an int, got float"),
    (None, TypeError, "seed must be an int, got NoneType"),
])
def test_bad_seeds_are_refused(seed, error, match):
    with pytest.raises(error, match=match):
        training.make_dataset(ROWS, 4, seed=seed)


def test_the_pipelines_gan_fit_reads_run_without_tf_data_autotuning():
    # On a 2-core CPU the autotuner's work slowed training now and then (tools/bench_levers.py, tfdata_autotune).
    checked = fit_checks.check_batches(training.make_dataset(np.zeros((8, 2), np.float32), 4, seed=0), None)
    assert checked.options().autotune.enabled is False
    assert np.asarray(next(iter(checked))).shape == (4, 2)


def test_a_pipeline_that_chooses_its_autotuning_keeps_the_choice():
    options = tf.data.Options()
    options.autotune.enabled = True
    dataset = training.make_dataset(np.zeros((8, 2), np.float32), 4, seed=0).with_options(options)
    assert fit_checks.check_batches(dataset, None).options().autotune.enabled is True
