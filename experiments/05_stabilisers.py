"""The runs that chose lesson 05's stabiliser comparison, reproduced over seeds.

Lesson 05 compares a baseline GAN with three stabilisers (WGAN-GP, spectral
normalisation, two time-scale learning rates) on a 2-D mixture of Gaussians, one
change per arm, paired by seed. Three designs were tried; this script trains all
three on the same networks, batches, budget and seeds and scores every run at
checkpoints with the mode statistics of lesson 02 (modes covered, high-quality share):

- ``final``: the lesson's design. The ring of 8 Gaussians; the baseline is lesson
  02's failing setting (G's Adam rate ten times D's, 1e-3 against 1e-4); spectral
  normalisation keeps the baseline's rates, TTUR swaps in SAGAN's pair (D 4e-4,
  G 1e-4), WGAN-GP brings its paper's loss, 5 critic steps and Adam 1e-4, (0, 0.9).
- ``shared_x5`` (rejected, design (i)): the ring; the baseline at the DCGAN rates
  (2e-4 for both networks) and every arm's rates times a shared factor 5, so that
  each moves within a short run.
- ``grid25`` (rejected, design (ii)): the final design's four arms on the 25-Gaussian
  grid (VEEGAN, PacGAN: 5 x 5 centres 2 apart, std 0.05).

It writes ``reports/experiments/05_stabilisers.md`` (command, date, machine, settings,
per-seed tables, wins out of seeds and paired differences with bootstrap intervals
via ``gan_lessons.runs``, the mean over seeds at each checkpoint, a verdict per
design) and ``05_stabilisers.json`` (every run at every checkpoint).

Run from the repository root (about 6 CPU-minutes with the defaults: 4 arms x
(5 + 3 + 3) seeds x 2,500 steps; measured 5.9 CPU-minutes, 11.8 minutes wall on a
2-core machine shared with other training jobs)::

    nice -n 10 .venv/bin/python experiments/05_stabilisers.py
    .venv/bin/python experiments/05_stabilisers.py --quick   # a smoke run into the temp folder
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("GAN_LESSONS_QUIET", "1")

import keras  # noqa: E402
import pandas as pd  # noqa: E402

from gan_lessons import config, models, runs, toy, training  # noqa: E402
from _tables import markdown_table  # noqa: E402  (experiments/ is the script\'s own folder)

# Shared by every arm of every design: the lesson's settings cell.
LATENT_DIM, HIDDEN_UNITS, BATCH_SIZE = 2, (128, 128), 256
NUM_STEPS, NUM_CHECKPOINTS, EVAL_SAMPLES = 2500, 5, 2500
CRITIC_STEPS, GP_WEIGHT, STEPS_PER_EXECUTION = 5, 10.0, 250
DATA_SEED, NUM_DATA = 0, 20_000
METRICS = ["modes_covered", "high_quality", "cpu_seconds"]


def builder(loss: str = "non_saturating", spectral: bool = False, d_lr: float = 1e-4, g_lr: float = 1e-3,
            beta_1: float = 0.5, beta_2: float = 0.999, **gan_args):
    """A ``build(seed) -> GAN`` for one arm: the lesson's MLPs, one change per arm."""

    def build(seed: int) -> training.GAN:
        config.set_seed(seed)
        generator = models.mlp_generator(LATENT_DIM, 2, HIDDEN_UNITS)
        discriminator = models.mlp_discriminator(2, HIDDEN_UNITS, spectral_normalization=spectral)
        gan = training.GAN(generator, discriminator, loss=loss, seed=seed, **gan_args)
        gan.compile(d_optimizer=keras.optimizers.Adam(d_lr, beta_1=beta_1, beta_2=beta_2),
                    g_optimizer=keras.optimizers.Adam(g_lr, beta_1=beta_1, beta_2=beta_2),
                    steps_per_execution=STEPS_PER_EXECUTION)
        return gan

    return build


def arms(baseline_d_lr: float, baseline_g_lr: float, ttur: tuple[float, float], wgan_lr: float) -> dict[str, dict]:
    """The four arms: the baseline and each stabiliser with the one change it brings."""
    wgan = dict(loss="wasserstein", d_steps=CRITIC_STEPS, gradient_penalty_weight=GP_WEIGHT,
                d_lr=wgan_lr, g_lr=wgan_lr, beta_1=0.0, beta_2=0.9)
    return {
        "baseline": dict(d_lr=baseline_d_lr, g_lr=baseline_g_lr),
        "WGAN-GP": wgan,
        "spectral norm": dict(spectral=True, d_lr=baseline_d_lr, g_lr=baseline_g_lr),
        "TTUR": dict(d_lr=ttur[0], g_lr=ttur[1]),
    }


DESIGNS = {
    "final": dict(
        title="final: the ring, baseline G ten times faster than D (lesson 02's failing setting)",
        data="ring", arms=arms(1e-4, 1e-3, ttur=(4e-4, 1e-4), wgan_lr=1e-4), seeds=5),
    "shared_x5": dict(
        title="rejected (i): the ring, baseline at DCGAN rates, every arm's rates x 5",
        data="ring", arms=arms(5 * 2e-4, 5 * 2e-4, ttur=(5 * 4e-4, 5 * 1e-4), wgan_lr=5 * 1e-4), seeds=3),
    "grid25": dict(
        title="rejected (ii): the final design's arms on the 25-Gaussian grid",
        data="grid", arms=arms(1e-4, 1e-3, ttur=(4e-4, 1e-4), wgan_lr=1e-4), seeds=3),
}


def verdict(comparisons: dict[str, dict], baseline_mean: float, num_modes: int) -> str:
    """A plain sentence: does the baseline fail, and which stabiliser wins on >= 4 of 5 (or all of 3) seeds?"""
    seeds = next(iter(comparisons.values()))["seeds"]
    bar = seeds if seeds < 5 else int(0.8 * seeds + 0.5)
    winners = [name for name, c in comparisons.items() if c["method_wins"] >= bar]
    fails = baseline_mean <= num_modes / 4
    failure = (f"the baseline fails (it covers {baseline_mean:.1f} of {num_modes} modes on average)" if fails else
               f"the baseline does not fail (it covers {baseline_mean:.1f} of {num_modes} modes on average), "
               "so there is no failure for a stabiliser to fix")
    won = (f"{', '.join(winners)} covers more modes than the baseline on at least {bar} of {seeds} seeds"
           if winners else f"no stabiliser covers more modes than the baseline on {bar} of {seeds} seeds")
    return f"{failure}; {won}."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", default=",".join(DESIGNS), help=f"comma-separated, from {list(DESIGNS)}")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 seeds, 100 steps, 2 checkpoints")
    parser.add_argument("--out", type=Path, default=None,
                        help="default: reports/experiments/05_stabilisers.md (with --quick: a file in the temp folder)")
    args = parser.parse_args()
    if args.out is None:
        args.out = (Path(tempfile.gettempdir()) / "05_stabilisers_quick.md" if args.quick
                    else Path("reports/experiments/05_stabilisers.md"))
    names = [name.strip() for name in args.designs.split(",") if name.strip()]
    unknown = set(names) - set(DESIGNS)
    if unknown:
        parser.error(f"--designs: unknown {sorted(unknown)}; choose from {list(DESIGNS)}")
    num_steps, num_checkpoints = (100, 2) if args.quick else (NUM_STEPS, NUM_CHECKPOINTS)

    data = {"ring": toy.ring_of_gaussians(NUM_DATA, seed=DATA_SEED),
            "grid": toy.grid_of_gaussians(NUM_DATA, seed=DATA_SEED)}
    began, cpu_began = time.time(), time.process_time()
    sections, all_rows = [], []
    for name in names:
        design = DESIGNS[name]
        mixture = data[design["data"]]
        seeds = list(range(2 if args.quick else design["seeds"]))

        def score(gan: training.GAN, seed: int, mixture=mixture) -> dict[str, float]:
            stats = toy.mode_statistics(gan.sample(EVAL_SAMPLES, seed=seed + 1000), mixture.centers, mixture.std)
            return {"modes_covered": stats["modes_covered"], "high_quality": stats["high_quality_fraction"]}

        design_began = time.process_time()
        methods = {arm: builder(**settings) for arm, settings in design["arms"].items()}
        history, _ = runs.compare_methods(methods, mixture.samples, seeds, num_steps, score,
                                          num_checkpoints=num_checkpoints, batch_size=BATCH_SIZE)
        design_cpu = time.process_time() - design_began
        print(f"{name}: {design_cpu / 60:.1f} CPU-min", flush=True)
        all_rows += [{"design": name, **row} for row in history.to_dict(orient="records")]
        recorded = runs.runs_from_frame(history, METRICS)
        comparisons = {arm: runs.paired_comparison(recorded, "modes_covered", "baseline", arm, lower_is_better=False)
                       for arm in design["arms"] if arm != "baseline"}
        quality = [runs.paired_comparison(recorded, "high_quality", "baseline", arm, lower_is_better=False)
                   for arm in design["arms"] if arm != "baseline"]
        per_seed = pd.DataFrame(recorded).pivot(index="seed", columns="method", values="modes_covered")
        per_seed = per_seed[list(design["arms"])]
        checkpoints = history.groupby(["method", "step"], sort=False)["modes_covered"].mean().unstack("step")
        num_modes = len(mixture.centers)
        baseline_mean = next(iter(comparisons.values()))["baseline_mean"]
        settings = "\n".join(f"- {arm}: {value}" for arm, value in design["arms"].items())
        sections.append(f"""## Design `{name}`: {design["title"]}

Data: {design["data"]} ({num_modes} modes, std {mixture.std}); seeds {seeds}; {design_cpu / 60:.1f} CPU-minutes.

Arms (Adam rates and betas; everything not listed is shared):

{settings}

**Verdict:** {verdict(comparisons, baseline_mean, num_modes)}

### Modes covered at the last checkpoint, per seed (of {num_modes})

{markdown_table(per_seed)}

### Final scores, mean ± std over seeds

{markdown_table(runs.summary_table(recorded, METRICS))}

### Each stabiliser against the baseline, paired by seed

{chr(10).join(f"- {runs.describe(c)}" for c in comparisons.values())}
{chr(10).join(f"- {runs.describe(c)}" for c in quality)}

### Modes covered, mean over seeds at each checkpoint (does it still move?)

{markdown_table(checkpoints.round(2))}
""")
    elapsed, cpu = time.time() - began, time.process_time() - cpu_began
    command = "nice -n 10 .venv/bin/python experiments/05_stabilisers.py " + " ".join(sys.argv[1:])
    text = f"""# Lesson 05: the runs that chose the stabiliser comparison

Written by `experiments/05_stabilisers.py`; re-run it to reproduce.

- command: `{command.strip()}`
- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- machine: {platform.machine()}, {os.cpu_count()} cores; {config.describe_environment()}
- wall time {elapsed / 60:.1f} min, CPU time {cpu / 60:.1f} min (other jobs shared the CPU; `cpu_seconds` is this
  process's CPU time for training each run)

**Shared by every arm of every design:** MLPs with hidden layers {HIDDEN_UNITS} (ReLU in G, LeakyReLU in D),
latent size {LATENT_DIM}, batch {BATCH_SIZE}, {num_steps} generator steps, {num_checkpoints} checkpoints,
{EVAL_SAMPLES} samples scored per checkpoint (sampled with seed + 1000), {NUM_DATA} training points drawn with seed
{DATA_SEED}, the same batches and noise for every arm of a seed. A sample is high quality within 3 std of a centre;
a mode is covered when it holds at least 1 % of the samples as high-quality samples (lesson 02). WGAN-GP: λ = {GP_WEIGHT:g},
{CRITIC_STEPS} critic steps per generator step.

A stabiliser "wins" a seed when it covers strictly more modes than the baseline on that seed; the lesson's bar
is 4 of 5 seeds (3 of 3 for the rejected designs, which ran 3 seeds).

{chr(10).join(sections)}"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps(
        {"command": command.strip(), "wall_seconds": elapsed, "cpu_seconds": cpu,
         "designs": {name: {**DESIGNS[name], "arms": DESIGNS[name]["arms"]} for name in names},
         "checkpoints": all_rows}, indent=1, default=float))
    print(f"wrote {args.out} in {elapsed / 60:.1f} min wall, {cpu / 60:.1f} CPU-min")


if __name__ == "__main__":
    main()
