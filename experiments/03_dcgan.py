"""The runs that chose lesson 03's DCGAN recipe, reproduced over seeds.

Lesson 03 trains a DCGAN on scikit-learn's digits (16 x 16) with one stride-1
convolution per resolution in both networks (``extra_layers=1``), 32 filters, and D
learning at half G's rate (1e-4 against 2e-4). This script trains that recipe and,
for each of the choices that made it, the recipe with that one choice undone, on
the same seeds, data, classifier and number of steps, and scores every run at
checkpoints with the lesson's ``ImageQuality`` (Fréchet distance, precision, recall,
smallest class share). It writes ``reports/experiments/03_dcgan.md``: the command,
date, machine, a mean ± std table over seeds, each arm against the recipe paired by
seed, and the scores at every checkpoint.

Run from the repository root (about 10 minutes on an idle 2-core CPU with the defaults: 3 arms x 3 seeds x 2,000 steps)::

    nice -n 10 .venv/bin/python experiments/03_dcgan.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("GAN_LESSONS_QUIET", "1")

import keras  # noqa: E402
import pandas as pd  # noqa: E402

from gan_lessons import config, images, runs, training  # noqa: E402
from _tables import markdown_table  # noqa: E402  (experiments/ is the script\'s own folder)

METRICS = ["frechet_distance", "precision", "recall", "smallest_class_share"]
LOWER_IS_BETTER = {"frechet_distance": True, "precision": False, "recall": False, "smallest_class_share": False}
RECIPE = "recipe: extra_layers=1, 32 filters, D at 1e-4"

# Each arm changes one setting of the recipe; the lesson's settings cell holds the recipe.
ARMS = {
    RECIPE: dict(extra_layers=1, filters=32, d_learning_rate=1e-4),
    "plain DCGAN (extra_layers=0)": dict(extra_layers=0, filters=32, d_learning_rate=1e-4),
    "equal rates (D at 2e-4)": dict(extra_layers=1, filters=32, d_learning_rate=2e-4),
}
LATENT_DIM, G_LEARNING_RATE, IMAGE_SIZE, CLASSIFIER_EPOCHS, QUALITY_SEED = 32, 2e-4, 16, 15, 3


def builder(extra_layers, filters: int, d_learning_rate: float):
    """A ``build(seed) -> GAN`` for one arm; ``extra_layers`` is one int or (G's, D's)."""
    g_extra, d_extra = extra_layers if isinstance(extra_layers, tuple) else (extra_layers, extra_layers)

    def build(seed: int) -> training.GAN:
        config.set_seed(seed)
        shape = (IMAGE_SIZE, IMAGE_SIZE, 1)
        generator = images.dcgan_generator(shape, LATENT_DIM, filters=filters, extra_layers=g_extra)
        discriminator = images.dcgan_discriminator(shape, filters=filters, extra_layers=d_extra)
        gan = training.GAN(generator, discriminator, loss="non_saturating", seed=seed)
        gan.compile(d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(G_LEARNING_RATE, beta_1=0.5))
        return gan

    return build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per arm (0, 1, ...); at least 3")
    parser.add_argument("--steps", type=int, default=2000, help="generator steps per run (the lesson's cpu profile: 2000)")
    parser.add_argument("--checkpoints", type=int, default=4, help="scored checkpoints per run")
    parser.add_argument("--out", type=Path, default=Path("reports/experiments/03_dcgan.md"))
    args = parser.parse_args()
    if args.seeds < 3:
        parser.error(f"--seeds must be at least 3 (no single-seed ablations), got {args.seeds}")

    began = time.time()
    real_images, labels = images.load_digits(size=IMAGE_SIZE)
    quality = images.ImageQuality(real_images, labels, seed=QUALITY_SEED, epochs=CLASSIFIER_EPOCHS)

    def score(gan: training.GAN, seed: int) -> dict[str, float]:
        scores = quality.score_generator(gan, seed=seed)
        return {name: float(scores[name]) for name in METRICS}

    seeds = list(range(args.seeds))
    history, _ = runs.compare_methods({name: builder(**arm) for name, arm in ARMS.items()}, real_images,
                                      seeds=seeds, num_steps=args.steps, score=score,
                                      num_checkpoints=args.checkpoints)
    elapsed = time.time() - began
    recorded = runs.runs_from_frame(history, METRICS + ["cpu_seconds"])

    table = runs.summary_table(recorded, METRICS + ["cpu_seconds"]).astype(object)
    floor = {name: f"{quality.floor[name]:.3f}" for name in METRICS}
    table.loc["real vs real (floor)"] = [*[floor[m] for m in METRICS], "", ""]
    paired = []
    for name in ARMS:
        if name == RECIPE:
            continue
        for metric in ("frechet_distance", "precision"):
            comparison = runs.paired_comparison(recorded, metric, baseline=name, method=RECIPE,
                                                lower_is_better=LOWER_IS_BETTER[metric])
            paired.append(f"- {runs.describe(comparison)}")
    checkpoints = history.groupby(["method", "step"], sort=False)[METRICS].mean().round(3)

    command = "nice -n 10 .venv/bin/python experiments/03_dcgan.py " + " ".join(sys.argv[1:])
    text = f"""# Lesson 03: the runs that chose the DCGAN recipe

Written by `experiments/03_dcgan.py`; re-run it to reproduce (figures move a little between runs:
TensorFlow on a CPU is not bit-for-bit reproducible across thread schedules).

- command: `{command.strip()}`
- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- machine: {platform.machine()}, {os.cpu_count()} cores; {config.describe_environment()}
- wall time: {elapsed / 60:.1f} min (other jobs may have shared the CPU; `cpu_seconds` is this process's CPU time for training)

**Shared by every arm:** scikit-learn digits upsampled to 16 × 16, latent size {LATENT_DIM}, batch 64,
non-saturating loss, Adam with β1 = 0.5, G at {G_LEARNING_RATE:g}, {args.steps} generator steps, one D step per G step,
seeds {seeds} (the same batches and noise for every arm of a seed), scored by one `ImageQuality`
(classifier seed {QUALITY_SEED}, {CLASSIFIER_EPOCHS} epochs, {quality.num_samples} generated images against the reference
half of the real digits, samples drawn with the run's seed).

**Arms:** the recipe, and the recipe with one choice undone:

{chr(10).join(f"- {name}: {arm}" for name, arm in ARMS.items())}

## Final scores, mean ± std over seeds

{markdown_table(table)}

## Each arm against the recipe, paired by seed

{chr(10).join(paired)}

With {args.seeds} seeds a paired interval is wide; a difference whose interval spans 0 is no difference.

## Mean over seeds at each checkpoint (does the score still move?)

{markdown_table(checkpoints)}

## Every run (final checkpoint)

{markdown_table(pd.DataFrame(recorded).set_index("method").round(3))}
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out} in {elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
