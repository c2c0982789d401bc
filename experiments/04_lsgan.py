"""The runs behind lesson 04's LSGAN verdict, reproduced over paired seeds.

Lesson 04 tests Mao et al.'s (2017) stability claim for the least-squares loss by
changing only the loss: least squares with the -1/1/0 coding (``least_squares_pearson``)
against the non-saturating cross-entropy loss, the same networks, optimiser, batches,
initial weights and seeds. This script reproduces

(a) the ring of eight Gaussians (lesson 02's ring, lesson 04's measure): the lesson's
    own design on 5 seeds, and the five other settings tried while writing it, each
    applied to both arms, on 3 seeds each; scored with ``toy.mode_statistics`` at
    checkpoints so a plateau can be seen;
(b) Mao et al.'s other stability test (2017, section 4.2 and fig. 5): a DCGAN whose
    generator has no BatchNorm (``images.dcgan_generator(..., batch_norm=False)``),
    the discriminator of lesson 03 (with BatchNorm, one stride-1 layer per resolution),
    on scikit-learn's native 8 x 8 digits, 5 paired seeds, scored at checkpoints with
    ``images.ImageQuality`` (Fréchet distance in the classifier's feature space and
    smallest class share, next to the real-vs-real floor).

It writes ``reports/experiments/04_lsgan.md``: settings, per-seed tables, paired
differences with bootstrap intervals (``runs.describe``), wins out of seeds, the mean
at every checkpoint and a plain verdict per setting.

Run from the repository root (about 20 minutes of CPU on a 2-core machine with the
defaults; ``--quick`` is a smoke run of 2 seeds x 200 steps, about half a minute of CPU)::

    nice -n 10 .venv/bin/python experiments/04_lsgan.py
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

import keras
import numpy as np
import pandas as pd

from gan_lessons import config, images, models, runs, toy, training
from _tables import markdown_table  # noqa: E402  (experiments/ is the script\'s own folder)

BASELINE, METHOD = "non-saturating", "least squares (-1/1/0)"
LOSSES = {BASELINE: "non_saturating", METHOD: "least_squares_pearson"}

# (a) The ring. The lesson's design first; each other setting changes it as named, for both arms alike.
RING_LESSON = {"hidden": (128, 128), "d_learning_rate": 1e-3, "g_learning_rate": 1e-3, "batch_size": 256,
               "steps": 3_000, "seeds": 5}
RING_SETTINGS = {
    "lesson 04's design": RING_LESSON,
    "smaller rate (2e-4)": {**RING_LESSON, "d_learning_rate": 2e-4, "g_learning_rate": 2e-4, "seeds": 3},
    "three layers, rate 5e-4": {**RING_LESSON, "hidden": (128, 128, 128), "d_learning_rate": 5e-4,
                                "g_learning_rate": 5e-4, "seeds": 3},
    "64 units, batch 64": {**RING_LESSON, "hidden": (64, 64), "batch_size": 64, "seeds": 3},
    "lesson 02's collapse setting (three layers, G 1e-3, D 1e-4, 4,000 steps)": {
        **RING_LESSON, "hidden": (128, 128, 128), "d_learning_rate": 1e-4, "g_learning_rate": 1e-3,
        "steps": 4_000, "seeds": 3},
    "8,000 steps": {**RING_LESSON, "steps": 8_000, "seeds": 3},
}
RING_METRICS = ["modes_covered", "high_quality_fraction", "largest_mode_share"]
RING_LOWER = {"modes_covered": False, "high_quality_fraction": False, "largest_mode_share": True}
RING_SAMPLES, RING_EVAL_SAMPLES, RING_CHECKPOINT_EVERY, LATENT_2D = 20_000, 2_000, 500, 2

# (b) Digits, DCGAN with a generator without BatchNorm.
DIGITS = {"image_size": 8, "latent_dim": 32, "filters": 32, "extra_layers": 1, "d_learning_rate": 1e-4,
          "g_learning_rate": 2e-4, "batch_size": 64, "steps": 6_000, "checkpoints": 6, "seeds": 5}
DIGIT_METRICS = ["frechet_distance", "smallest_class_share", "precision", "recall"]
DIGIT_LOWER = {"frechet_distance": True, "smallest_class_share": False, "precision": False, "recall": False}
CLASSIFIER_EPOCHS, QUALITY_SEED, STEPS_PER_EXECUTION = 15, 3, 50


def ring_builder(loss: str, hidden, d_learning_rate: float, g_learning_rate: float, **_):
    """seed -> a compiled ring GAN (lesson 04's builder); only ``loss`` differs between the arms."""
    def build(seed: int) -> training.GAN:
        config.set_seed(seed)
        gan = training.GAN(models.mlp_generator(LATENT_2D, 2, hidden), models.mlp_discriminator(2, hidden),
                           loss=loss, seed=seed)
        gan.compile(d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
                    steps_per_execution=STEPS_PER_EXECUTION)
        return gan
    return build


def digits_builder(loss: str):
    """seed -> a compiled DCGAN on digits, G without BatchNorm; only ``loss`` differs between the arms."""
    shape = (DIGITS["image_size"], DIGITS["image_size"], 1)

    def build(seed: int) -> training.GAN:
        config.set_seed(seed)
        generator = images.dcgan_generator(shape, DIGITS["latent_dim"], filters=DIGITS["filters"],
                                           extra_layers=DIGITS["extra_layers"], batch_norm=False)
        discriminator = images.dcgan_discriminator(shape, filters=DIGITS["filters"], extra_layers=DIGITS["extra_layers"])
        gan = training.GAN(generator, discriminator, loss=loss, seed=seed)
        gan.compile(d_optimizer=keras.optimizers.Adam(DIGITS["d_learning_rate"], beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(DIGITS["g_learning_rate"], beta_1=0.5),
                    steps_per_execution=STEPS_PER_EXECUTION)
        return gan
    return build


def verdict(comparison: dict) -> str:
    """A plain verdict: least squares better, worse or no different (the interval decides, wins are shown)."""
    low, high = comparison["interval_95"]
    lower = comparison["lower_is_better"]
    wins, seeds = comparison["method_wins"], comparison["seeds"]
    if (high < 0) if lower else (low > 0):
        word = "least squares better"
    elif (low > 0) if lower else (high < 0):
        word = "non-saturating better"
    else:
        word = "no difference (the interval contains 0)"
    return f"{word}; least squares better on {wins} of {seeds} paired seeds"


def plateau_note(history: pd.DataFrame, metric: str, tolerance: float) -> str:
    """How many runs moved by more than ``tolerance`` on ``metric`` over their last two checkpoints."""
    last_two = history.groupby(["method", "seed"], sort=False)[metric].apply(lambda s: abs(s.iloc[-1] - s.iloc[-2])
                                                                            if len(s) > 1 else np.nan)
    moving = last_two[last_two > tolerance]
    per_method = {m: int((moving.index.get_level_values("method") == m).sum()) for m in LOSSES}
    total = {m: int((last_two.index.get_level_values("method") == m).sum()) for m in LOSSES}
    return ", ".join(f"{m}: {per_method[m]} of {total[m]} runs still moving" for m in LOSSES)


def per_seed(recorded: list[dict], metrics: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(recorded).pivot(index="seed", columns="method", values=metrics)
    frame.columns = [f"{metric} · {method}" for metric, method in frame.columns]
    return frame.round(3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 seeds, few steps, two ring settings")
    parser.add_argument("--part", choices=["all", "ring", "digits"], default="all")
    parser.add_argument("--digit-steps", type=int, default=DIGITS["steps"], help="generator steps per digits run")
    parser.add_argument("--digit-checkpoints", type=int, default=DIGITS["checkpoints"], help="scored checkpoints per digits run")
    parser.add_argument("--out", type=Path, default=Path("reports/experiments/04_lsgan.md"))
    args = parser.parse_args()
    if args.quick and args.out == parser.get_default("out"):
        args.out = Path("/tmp/04_lsgan_quick.md")

    began, began_cpu = time.time(), time.process_time()
    sections: list[str] = []
    verdicts: list[str] = []

    def write_report() -> None:
        """Write the report with the sections so far (after each setting, so a stopped run leaves its part)."""
        elapsed, cpu = time.time() - began, time.process_time() - began_cpu
        command = "nice -n 10 .venv/bin/python experiments/04_lsgan.py " + " ".join(sys.argv[1:])
        text = f"""# Lesson 04: least squares against the non-saturating loss, only the loss changed

Written by `experiments/04_lsgan.py`; re-run it to reproduce (figures move a little between runs: TensorFlow on a
CPU is not bit-for-bit reproducible across thread schedules).

- command: `{command.strip()}`
- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- machine: {platform.machine()}, {os.cpu_count()} cores; {config.describe_environment()}
- wall time: {elapsed / 60:.1f} min; CPU time of this process: {cpu / 60:.1f} min (other jobs may have shared the
  CPU, which inflates the wall time, not the CPU time)

Every setting trains two arms that differ only in the loss: `{LOSSES[BASELINE]}` ({BASELINE}) and
`{LOSSES[METHOD]}` ({METHOD}, Mao et al. 2017, eq. 2 with a = -1, b = 1, c = 0). Both arms of a seed start from
the same initial weights and see the same batches in the same order (`runs.compare_methods`). Paired differences are
least squares minus non-saturating, with a 95 % percentile-bootstrap interval over seeds; a win is a seed on which
least squares is strictly better (a tie is not a win). With 3 to 5 seeds an interval is wide: one that contains 0
means no difference was shown.

## Verdicts

| setting | measure | verdict |
| --- | --- | --- |
{chr(10).join(verdicts)}

## Settings

{chr(10).join(sections)}
"""
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        print(f"wrote {args.out} after {elapsed / 60:.1f} min wall, {cpu / 60:.1f} min CPU", flush=True)

    if args.part in ("all", "digits"):
        size = DIGITS["image_size"]
        steps = 200 if args.quick else args.digit_steps
        checkpoints = 2 if args.quick else args.digit_checkpoints
        seeds = list(range(2 if args.quick else DIGITS["seeds"]))
        real_images, labels = images.load_digits(size=size)
        quality = images.ImageQuality(real_images, labels, seed=QUALITY_SEED, epochs=2 if args.quick else CLASSIFIER_EPOCHS)
        floor = {m: float(quality.floor[m]) for m in DIGIT_METRICS}

        def digit_score(gan: training.GAN, seed: int) -> dict[str, float]:
            scores = quality.score_generator(gan, seed=seed)
            out = {m: float(scores[m]) for m in DIGIT_METRICS}
            out["fd_over_floor"] = out["frechet_distance"] / floor["frechet_distance"]
            return out

        print(f"digits: {len(seeds)} seeds x {steps} steps", flush=True)
        history, _ = runs.compare_methods({m: digits_builder(loss) for m, loss in LOSSES.items()}, real_images,
                                          seeds, steps, digit_score, checkpoints, DIGITS["batch_size"])
        metrics = DIGIT_METRICS + ["fd_over_floor"]
        recorded = runs.runs_from_frame(history, metrics + ["cpu_seconds"])
        comparisons = {m: runs.paired_comparison(recorded, m, BASELINE, METHOD, DIGIT_LOWER[m]) for m in DIGIT_METRICS}
        verdicts.append(f"| digits, G without BatchNorm | Fréchet distance | {verdict(comparisons['frechet_distance'])} |")
        verdicts.append(f"| digits, G without BatchNorm | smallest class share | "
                        f"{verdict(comparisons['smallest_class_share'])} |")
        table = runs.summary_table(recorded, metrics + ["cpu_seconds"]).astype(object)
        table.loc["real vs real (floor)"] = [*[f"{floor[m]:.3f}" for m in DIGIT_METRICS], "1.000", "", ""]
        checkpoint_means = history.groupby(["method", "step"], sort=False)[["frechet_distance", "smallest_class_share",
                                                                             "fd_over_floor"]].mean().round(3)
        fd_trace = history.pivot_table(index="step", columns=["method", "seed"], values="frechet_distance").round(2)
        fd_trace.columns = [f"{'LS' if m == METHOD else 'NS'} s{s}" for m, s in fd_trace.columns]
        last_two = history.groupby(["method", "seed"], sort=False)["frechet_distance"].apply(
            lambda s: (s.iloc[-2] - s.iloc[-1]) / s.iloc[-2] if len(s) > 1 else np.nan)
        still_falling = {m: int((last_two.xs(m, level="method") > 0.05).sum()) for m in LOSSES}
        shared = {k: v for k, v in DIGITS.items() if k not in ("seeds",)} | {"steps": steps, "checkpoints": checkpoints}
        sections.append(f"""### Digits: DCGAN, generator without BatchNorm (Mao et al. 2017, section 4.2)

Shared by both arms: scikit-learn digits at their native {size} × {size}, {shared}; generator
`images.dcgan_generator(..., batch_norm=False)`, discriminator `images.dcgan_discriminator` (with BatchNorm, as in
lessons 03 and 04's earlier version), Adam β1 = 0.5, seeds {seeds} (the same batches, initial weights and noise for
both arms of a seed), scored by one `ImageQuality` (classifier seed {QUALITY_SEED}, classifier accuracy
{quality.classifier_accuracy:.3f}, {quality.num_samples} generated images against the reference half of the real
digits). **Differs:** the loss. `fd_over_floor` is the Fréchet distance over the real-vs-real floor (1 = as close as
two halves of the real data).

{markdown_table(table)}

Per seed (last checkpoint):

{markdown_table(per_seed(recorded, metrics))}

{chr(10).join(f"- {runs.describe(c)}" for c in comparisons.values())}

Verdict: **{verdict(comparisons['frechet_distance'])}** (Fréchet distance); **{verdict(comparisons['smallest_class_share'])}**
(smallest class share). Plateau: runs whose Fréchet distance still fell by more than 5 % over the last checkpoint
interval: {", ".join(f"{m}: {still_falling[m]} of {len(seeds)}" for m in LOSSES)}.

Mean over seeds at each checkpoint:

{markdown_table(checkpoint_means)}

Fréchet distance at every checkpoint, one column per run:

{markdown_table(fd_trace)}
""")
        write_report()

    if args.part in ("all", "ring"):
        ring = toy.ring_of_gaussians(RING_SAMPLES, seed=0)

        def ring_score(gan: training.GAN, seed: int) -> dict[str, float]:
            stats = toy.mode_statistics(gan.sample(RING_EVAL_SAMPLES, seed=seed), ring.centers, ring.std)
            return {name: float(stats[name]) for name in RING_METRICS}

        settings = dict(list(RING_SETTINGS.items())[:2]) if args.quick else RING_SETTINGS
        for name, setting in settings.items():
            steps = 200 if args.quick else setting["steps"]
            seeds = list(range(2 if args.quick else setting["seeds"]))
            checkpoints = max(2, steps // RING_CHECKPOINT_EVERY) if not args.quick else 2
            print(f"ring: {name}: {len(seeds)} seeds x {steps} steps", flush=True)
            history, _ = runs.compare_methods({m: ring_builder(loss, **setting) for m, loss in LOSSES.items()},
                                              ring.samples, seeds, steps, ring_score, checkpoints,
                                              setting["batch_size"])
            recorded = runs.runs_from_frame(history, RING_METRICS + ["cpu_seconds"])
            comparisons = [runs.paired_comparison(recorded, m, BASELINE, METHOD, RING_LOWER[m]) for m in RING_METRICS]
            verdicts.append(f"| ring: {name} | modes covered | {verdict(comparisons[0])} |")
            trace = history.pivot_table(index="step", columns=["method", "seed"], values="modes_covered")
            trace.columns = [f"{'LS' if m == METHOD else 'NS'} s{s}" for m, s in trace.columns]
            shared = {k: v for k, v in setting.items() if k != "seeds"} | {"steps": steps}
            sections.append(f"""### Ring: {name}

Shared by both arms: {shared}, seeds {seeds}, {checkpoints} checkpoints, {RING_EVAL_SAMPLES} samples scored
per checkpoint on the run's own noise. **Differs:** the loss.

{markdown_table(per_seed(recorded, RING_METRICS))}

{chr(10).join(f"- {runs.describe(c)}" for c in comparisons)}

Verdict: **{verdict(comparisons[0])}** (modes covered). Plateau: {plateau_note(history, "modes_covered", 0.5)}
(modes covered changed over the last two checkpoints).

Modes covered at every checkpoint, one column per run (LS least squares, NS non-saturating, s seed):

{markdown_table(trace.astype(int))}
""")
            write_report()

    write_report()


if __name__ == "__main__":
    main()
