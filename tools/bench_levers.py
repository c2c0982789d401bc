"""Speed levers, measured: XLA per model family, and the cheaper settings a lesson could use.

Each row trains one set-up through ``GAN.fit`` in two variants and reports steps per
second of each and their ratio (B / A, above 1 means B is faster), median over rounds
with the order of the two variants alternated, after a warm-up that covers tracing and
XLA compilation. The set-ups are the course's own, at the sizes of the cpu profile:

* ``xla_*``: ``compile(jit_compile=False)`` (A) against ``True`` (B) for each model family:
  the MLP of lesson 02, the DCGAN of lessons 03-05, the temporal convolutions of lesson
  06, the tabular GAN of lessons 07-08 (with its Gumbel-softmax heads) and the private
  discriminator of lesson 09 (per-example gradients).
* ``tfdata_autotune``: the DCGAN of ``xla_dcgan`` (no XLA) with tf.data's autotuner on
  for the input pipeline (A, tf.data's default) against off (B, what ``GAN.fit`` sets,
  :mod:`gan_lessons.fit_checks`).
* ``dcgan_8_vs_16``: the DCGAN on 16 x 16 images (A) against native 8 x 8 digits (B).
* ``dcgan_batch_32_vs_64``: batch 64 (A) against 32 (B), in steps (not images) per second.
* ``dcgan_resize_vs_transposed``: the DCGAN generator's transposed convolutions (kernel 4,
  stride 2; A) against resize-then-convolve (nearest-neighbour upsampling x2, then a
  kernel-3 convolution with the same filters; B), as Odena et al. (2016, "Deconvolution
  and checkerboard artifacts") propose; same discriminator.
* ``eval_classifier_epochs``: evaluation cost, not training: building lesson 03's
  ``ImageQuality`` on the 16 x 16 digits with its classifier trained 15 epochs (A) against 5
  (B), in builds per second; each variant also reports what it costs in quality, the
  classifier's test accuracy and the real-vs-real Fréchet floor.
* ``eval_samples``: the image scores (Fréchet distance, precision and recall) on 898
  images, the lessons' holdout half (A), against 449 (B), in evaluations per second; each
  variant reports the spread (standard deviation over draws) of the real-vs-real Fréchet
  distance at its size, the noise a smaller sample adds to every score.

A runner may return a dict of outcomes (accuracy, spread); the row keeps the last one of
each variant, so a speed-up is always read next to what it costs.

    python tools/bench_levers.py                    # writes reports/levers.md and .json
    python tools/bench_levers.py --only xla_mlp --steps 50 --rounds 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate  # noqa: E402  (tools/ is on the path above; it imports TensorFlow only when run)
import numpy as np  # noqa: E402


def _fit_runner(build: Callable[[], Any], data: Any, batch_size: int, jit_compile: bool,
                options: Any = None) -> Callable[[int], None]:
    """A function that trains ``steps`` steps of a freshly built GAN (built once), on a
    ``make_dataset`` stream (with ``options``, a ``tf.data.Options``, if given)."""
    from gan_lessons import training

    gan = build()
    gan.compile(jit_compile=jit_compile)
    x, conditions = data if isinstance(data, tuple) else (data, None)
    dataset = training.make_dataset(x, batch_size, seed=0, conditions=conditions)
    if options is not None:
        dataset = dataset.with_options(options)

    def run(steps: int) -> None:
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)

    return run


def _autotune_runner(build: Callable[[], Any], data: Any, batch_size: int, enabled: bool) -> Callable[[int], None]:
    """:func:`_fit_runner` (no XLA) on a pipeline whose options turn tf.data's autotuner
    on (tf.data's default) or off (what ``GAN.fit`` sets for a pipeline that says nothing)."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = enabled
    return _fit_runner(build, data, batch_size, False, options)


_QUALITY: dict[str, Any] = {}


def _shared_quality(images: Any, real: Any, labels: Any) -> Any:
    """One ImageQuality (5 epochs) for the rows that only need its feature space."""
    if "quality" not in _QUALITY:
        _QUALITY["quality"] = images.ImageQuality(real, labels, seed=0, epochs=5)
    return _QUALITY["quality"]


def setups() -> dict[str, tuple[Any, ...]]:
    """name -> (what differs, variant A runner factory, variant B runner factory[, calls[, warm-up]]).

    ``calls``, where given, replaces ``--steps`` for that row: its runners do slow work
    (an evaluation, or a very slow training step) and count in those units; its warm-up
    is the fifth element (default 0) instead of ``--warmup``."""
    import keras

    from gan_lessons import images, models, privacy, returns, tables, training

    rng = np.random.default_rng(0)
    ring = rng.normal(size=(4096, 2)).astype("float32")
    digits16 = rng.uniform(-1, 1, size=(1797, 16, 16, 1)).astype("float32")
    digits8 = rng.uniform(-1, 1, size=(1797, 8, 8, 1)).astype("float32")
    windows = rng.standard_normal((4000, 64, 1)).astype("float32")
    credit = tables.load_german_credit()
    encoder = tables.TabularEncoder(seed=0).fit(credit.drop(columns="credit_risk"))
    rows = encoder.transform(credit.drop(columns="credit_risk")).astype("float32")
    labels = np.eye(2, dtype="float32")[(credit["credit_risk"] == "bad").to_numpy(int)]

    def mlp() -> Any:
        keras.utils.set_random_seed(0)
        return training.GAN(models.mlp_generator(2, 2, (128, 128, 128)), models.mlp_discriminator(2, (128, 128, 128)), seed=0)

    def dcgan(size: int) -> Callable[[], Any]:
        def build() -> Any:
            keras.utils.set_random_seed(0)
            shape = (size, size, 1)
            return training.GAN(images.dcgan_generator(shape, 64, filters=32), images.dcgan_discriminator(shape, filters=32),
                                seed=0)
        return build

    def resize_generator(shape: tuple[int, int, int], latent_dim: int, filters: int) -> Any:
        """The package's DCGAN generator with each transposed convolution replaced by
        nearest-neighbour upsampling x2 and a kernel-3 convolution (same widths, BatchNorm, ReLU)."""
        from keras import layers

        init = keras.initializers.RandomNormal(stddev=0.02)
        steps = 2 if shape[0] == 16 else 1
        width = filters * 2 ** (steps - 1)
        z = keras.Input(shape=(latent_dim,))
        x = layers.Reshape((shape[0] // 2**steps, shape[1] // 2**steps, width))(
            layers.Dense((shape[0] // 2**steps) * (shape[1] // 2**steps) * width, use_bias=False,
                         kernel_initializer=init)(z))
        for step in range(steps):
            x = layers.ReLU()(layers.BatchNormalization(momentum=0.9, epsilon=1e-5)(x))
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
            last = step == steps - 1
            x = layers.Conv2D(shape[2] if last else width // 2 ** (step + 1), 3, padding="same", use_bias=last,
                              kernel_initializer=init)(x)
        return keras.Model(z, layers.Activation("tanh")(x))

    def dcgan_resize() -> Any:
        keras.utils.set_random_seed(0)
        shape = (16, 16, 1)
        return training.GAN(resize_generator(shape, 64, 32), images.dcgan_discriminator(shape, filters=32), seed=0)

    def tcn() -> Any:
        keras.utils.set_random_seed(0)
        g_dilations = (1, 2, 4, 8, 16, 32)
        return returns.SequenceGAN(
            returns.tcn_generator(noise_channels=3, hidden_channels=24, dilations=g_dilations, magnitude_channel=True),
            returns.tcn_discriminator(hidden_channels=24, dilations=(1, 2, 4, 8, 16), magnitude_channel=True),
            window_length=64, noise_padding=returns.tcn_receptive_field(g_dilations), seed=0)

    def tabular(private: bool) -> Callable[[], Any]:
        def build() -> Any:
            keras.utils.set_random_seed(0)
            generator = tables.tabular_generator(128, encoder.heads, condition_dim=2, hidden_units=(256, 256), seed=0)
            if private:
                discriminator = tables.tabular_discriminator(encoder.output_dim, condition_dim=2, hidden_units=(64, 64))
                return privacy.PrivateGAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0,
                                          l2_norm_clip=1.0, noise_multiplier=1.0, num_examples=len(rows), seed=0)
            discriminator = tables.tabular_discriminator(encoder.output_dim, condition_dim=2, hidden_units=(256, 256))
            return training.GAN(generator, discriminator, loss="wasserstein", gradient_penalty_weight=10.0, seed=0)
        return build

    def quality_builder(epochs: int) -> Callable[[], Callable[[int], dict[str, float]]]:
        def factory() -> Callable[[int], dict[str, float]]:
            real, labels = images.load_digits(size=16)

            def run(calls: int) -> dict[str, float]:
                for _ in range(calls):
                    quality = images.ImageQuality(real, labels, seed=0, epochs=epochs)
                return {"classifier_accuracy": round(quality.classifier_accuracy, 3),
                        "floor_frechet_distance": round(quality.floor["frechet_distance"], 3)}
            return run
        return factory

    def score_runner(size: int) -> Callable[[], Callable[[int], dict[str, float]]]:
        def factory() -> Callable[[int], dict[str, float]]:
            real, labels = images.load_digits(size=16)
            quality = _shared_quality(images, real, labels)
            features = quality.features(real)
            draws = np.random.default_rng(1)

            def run(calls: int) -> dict[str, float]:
                floors = []
                for _ in range(max(calls, 5)):
                    pick = draws.permutation(len(features))
                    reference, other = features[pick[:size]], features[pick[size:2 * size]]
                    floors.append(images.distances.frechet_distance(reference, other))
                    images.distances.precision_recall(reference, other, k=quality.k)
                return {"floor_frechet_distance_mean": round(float(np.mean(floors)), 3),
                        "floor_frechet_distance_std": round(float(np.std(floors, ddof=1)), 3)}
            return run
        return factory

    def xla(build: Callable[[], Any], data: Any, batch: int) -> tuple[Any, Any]:
        return (lambda: _fit_runner(build, data, batch, False), lambda: _fit_runner(build, data, batch, True))

    table: dict[str, Any] = {
        "xla_mlp": ("XLA off (A) / on (B), lesson 02's MLP, batch 256", *xla(mlp, ring, 256)),
        "xla_dcgan": ("XLA off / on, lesson 03's DCGAN 16x16 (32 filters), batch 64", *xla(dcgan(16), digits16, 64)),
        "xla_tcn": ("XLA off / on, lesson 06's temporal convolutions, 64-day windows, batch 32", *xla(tcn, windows, 32)),
        "xla_tabular": ("XLA off / on, lesson 07's tabular WGAN-GP with Gumbel heads, batch 200",
                        *xla(tabular(False), (rows, labels), 200)),
        "xla_private": ("XLA off / on, lesson 09's private discriminator (per-example gradients), batch 100; "
                        "3 steps per round after 1 warm-up step (with XLA a step takes seconds)",
                        *xla(tabular(True), (rows, labels), 100), 3, 1),
        "tfdata_autotune": ("tf.data's autotuner on (A, its default) / off (B, what GAN.fit sets) for the input "
                            "pipeline, DCGAN 16x16 (32 filters), batch 64, no XLA",
                            lambda: _autotune_runner(dcgan(16), digits16, 64, True),
                            lambda: _autotune_runner(dcgan(16), digits16, 64, False)),
        "dcgan_8_vs_16": ("16x16 digits (A) / native 8x8 (B), DCGAN 32 filters, batch 64, no XLA",
                          lambda: _fit_runner(dcgan(16), digits16, 64, False),
                          lambda: _fit_runner(dcgan(8), digits8, 64, False)),
        "dcgan_batch_32_vs_64": ("batch 64 (A) / 32 (B), DCGAN 16x16, steps per second, no XLA",
                                 lambda: _fit_runner(dcgan(16), digits16, 64, False),
                                 lambda: _fit_runner(dcgan(16), digits16, 32, False)),
        "dcgan_resize_vs_transposed": ("transposed convolutions (A) / resize-then-convolve (B) in the DCGAN "
                                       "generator, 16x16, 32 filters, batch 64, no XLA",
                                       lambda: _fit_runner(dcgan(16), digits16, 64, False),
                                       lambda: _fit_runner(dcgan_resize, digits16, 64, False)),
        "eval_classifier_epochs": ("ImageQuality's classifier trained 15 epochs (A, lesson 03) / 5 (B), 16x16 digits; "
                                   "builds per second", quality_builder(15), quality_builder(5), 1),
        "eval_samples": ("Fréchet distance, precision and recall on 898 images (A, the holdout half) / 449 (B); "
                         "evaluations per second", score_runner(898), score_runner(449), 5),
    }
    return table


def measure(factory_a: Callable[[], Any], factory_b: Callable[[], Any], steps: int, rounds: int,
            warmup: int) -> dict[str, Any]:
    """Steps per second of A and B (median over rounds, order alternated) and B / A per round."""
    result: dict[str, Any] = {}
    runners = {}
    for name, factory in (("a", factory_a), ("b", factory_b)):
        try:
            runners[name] = factory()
            if warmup:
                runners[name](warmup)
        except Exception as error:  # XLA may not compile a model: the row says so
            result[f"{name}_error"] = calibrate.error_text(error)
    if len(runners) < 2:
        return result
    rates, outcomes = calibrate.alternating_rates(runners, steps, rounds)
    result.update({f"{name}_outcome": outcome for name, outcome in outcomes.items()})
    ratios = [b / a for a, b in zip(rates["a"], rates["b"])]
    result.update({
        "a_steps_per_s": round(statistics.median(rates["a"]), 2),
        "b_steps_per_s": round(statistics.median(rates["b"]), 2),
        "ratio_b_over_a": round(statistics.median(ratios), 3),
        "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
    })
    return result


def render_markdown(report: dict[str, Any]) -> str:
    import pandas as pd

    def outcome(row: dict[str, Any]) -> str:
        if "a_outcome" not in row or "b_outcome" not in row:
            return ""
        return "; ".join(f"{key} {row['a_outcome'][key]} / {row['b_outcome'].get(key)}" for key in row["a_outcome"])

    rows = [{"set-up": name, "what differs (A / B)": row["what"],
             "A per s": row.get("a_steps_per_s", row.get("a_error", "")),
             "B per s": row.get("b_steps_per_s", row.get("b_error", "")),
             "B / A": row.get("ratio_b_over_a", "–"),
             "B / A range": row.get("ratio_range", "–"),
             "what it costs (A / B)": outcome(row)} for name, row in report["rows"].items()]
    lines = ["# Speed levers", "", f"Written by `{report['command']}` on {report['date']}.", "",
             report["calibration_text"], "",
             f"Each row: {report['steps']} steps per variant per round (rows whose description gives "
             f"another count use that count), {report['rounds']} rounds with the order "
             "alternated, after a warm-up; medians over rounds. B / A above 1: B is faster. "
             "`per s`: steps per second for training rows, builds or evaluations per second for the `eval_` rows.", "",
             pd.DataFrame(rows).to_markdown(index=False), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from report import describe_machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", nargs="+", metavar="SETUP")
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    args = parser.parse_args(argv)
    table = setups()
    selected = args.only or list(table)
    unknown = sorted(set(selected) - set(table))
    if unknown:
        parser.error(f"unknown set-up(s) {unknown}; choose from {sorted(table)}")
    calibration = calibrate.calibrate()
    rows = {}
    for name in selected:
        what, factory_a, factory_b, *calls = table[name]
        steps, warmup = (calls[0], calls[1] if len(calls) > 1 else 0) if calls else (args.steps, args.warmup)
        rows[name] = {"what": what, **measure(factory_a, factory_b, steps, args.rounds, warmup)}
        print(name, rows[name], flush=True)
    report = {"command": "python tools/bench_levers.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "steps": args.steps, "rounds": args.rounds, "calibration": calibration,
              "calibration_text": calibrate.describe(calibration), "rows": rows, "machine": describe_machine()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "levers.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / "levers.md").write_text(render_markdown(report), encoding="utf-8")
    print(render_markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
