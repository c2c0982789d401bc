"""Training speed: steps per second of the GAN class against hand-written loops.

Every variant trains the same DCGAN (same architecture, same initial weights) on the
same batch of real images, with the same losses (non-saturating, on logits) and the
same optimizers (Adam 2e-4, beta_1 0.5). One *step* is one discriminator update and
one generator update on a batch of ``--batch-size`` images.

Variants:

* ``eager_loop``: the TensorFlow DCGAN tutorial's ``train_step`` (one forward pass,
  two tapes, both networks updated from it) run eagerly, without ``tf.function``:
  how most tutorials start. All ratios are taken against it.
* ``tf_function_tutorial``: the same step under ``@tf.function``, as in the tutorial.
* ``tf_function_alternating``: a hand-written ``tf.function`` step doing exactly what
  ``GAN.train_step`` does: a discriminator update, then a generator update on fresh
  noise through the *updated* discriminator. This needs one more forward pass of each
  network than the tutorial's simultaneous update, so it separates the cost of the
  algorithm from the cost of the ``GAN`` class and ``keras.Model.fit``.
* ``gan_fit``: ``gan_lessons.training.GAN.fit`` on a dataset repeating the batch.
* ``gan_fit_xla``: the same with ``compile(jit_compile=True)``, if XLA compiles it.
* ``tf_function_shared_fakes``, ``gan_fit_without_recorder`` and ``gan_train_step``
  (left out with ``--no-diagnosis``): an alternating step that shares one generator
  forward pass between the two updates (what that change to the class would buy);
  the same GAN through ``keras.Model.fit`` without the per-step loss-recording
  callback; and its ``train_step`` under ``tf.function`` without ``Model.fit``. They
  show where any cost of the class comes from.

After a warm-up (tracing, XLA compilation) the variants run ``--steps`` steps each,
in rounds, with the order rotated each round, so that a change in the machine's
load hits every variant alike. The report gives each variant's median steps per
second with its spread over rounds, and each variant's ratio to the eager loop
measured within the same round (median and range over rounds).

"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import describe_machine  # noqa: E402  (tools/ is on the path above)

# Keras and TensorFlow log a lot on import; the benchmark's output is its table.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_lessons import images, losses  # noqa: E402
from gan_lessons.pipeline import stream_from  # noqa: E402
from gan_lessons.training import GAN  # noqa: E402

BASELINE = "eager_loop"
VARIANTS = (BASELINE, "tf_function_tutorial", "tf_function_alternating", "gan_fit", "tf_function_shared_fakes",
            "gan_fit_without_recorder", "gan_train_step", "gan_fit_unchecked", "gan_fit_xla")
# Pairs of variants that differ in one thing: (label, numerator, denominator, what differs).
DIAGNOSIS = [
    ("tf_function_alternating / tf_function_tutorial", "tf_function_alternating", "tf_function_tutorial",
     "the algorithm: alternating updates (one more forward pass of G and of D) vs one simultaneous update"),
    ("tf_function_shared_fakes / tf_function_tutorial", "tf_function_shared_fakes", "tf_function_tutorial",
     "alternating updates sharing one generator pass (PyTorch DCGAN example) vs the simultaneous update"),
    ("gan_train_step / tf_function_alternating", "gan_train_step", "tf_function_alternating",
     "the GAN class's train_step (SeedGenerator noise, loss trackers) vs the same updates hand-written"),
    ("gan_fit_without_recorder / gan_train_step", "gan_fit_without_recorder", "gan_train_step",
     "keras.Model.fit's loop (tf.data iterator, callbacks, one fit call per round) vs a Python loop"),
    ("gan_fit / gan_fit_without_recorder", "gan_fit", "gan_fit_without_recorder",
     "GAN.fit's callback recording every step's losses in loss_history"),
    ("gan_fit / gan_fit_unchecked", "gan_fit", "gan_fit_unchecked",
     "GAN.fit's input checks on every batch as it arrives (finite, inside the generator's range) vs none"),
    ("gan_fit / tf_function_alternating", "gan_fit", "tf_function_alternating",
     "all of the class and Model.fit vs the same updates hand-written"),
]
DIAGNOSIS_VARIANTS = ("tf_function_shared_fakes", "gan_fit_without_recorder", "gan_train_step", "gan_fit_unchecked")


class _Unchecked:
    """Stands in for ``GAN.checked_data`` in the ``gan_fit_unchecked`` variant: the
    same stream without the per-batch input checks, to measure what they cost."""

    def stream(self, dataset: tf.data.Dataset, start: Any) -> tf.data.Dataset:
        return stream_from(dataset, start)


def build_networks(image_shape: Sequence[int], latent_dim: int, seed: int) -> tuple[keras.Model, keras.Model, str]:
    """A fresh DCGAN pair of the course's builders with weights fixed by ``seed``, and their names."""
    keras.utils.set_random_seed(seed)
    return (images.dcgan_generator(image_shape, latent_dim), images.dcgan_discriminator(image_shape),
            "gan_lessons.images.dcgan_generator / dcgan_discriminator")


def adam() -> keras.optimizers.Optimizer:
    """Adam with the DCGAN settings (Radford et al. 2016): learning rate 2e-4, beta_1 0.5."""
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


@dataclass
class Variant:
    """One way of training: ``run(steps)`` trains ``steps`` steps and returns when done."""

    name: str
    description: str
    run: Callable[[int], None]
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    error: str | None = None


def tutorial_step(generator: keras.Model, discriminator: keras.Model, g_opt: Any, d_opt: Any,
                  latent_dim: int) -> Callable[[tf.Tensor], tf.Tensor]:
    """The TensorFlow DCGAN tutorial's train step (one forward pass, two tapes).

    Losses: non-saturating generator loss and the standard discriminator loss
    (Goodfellow et al. 2014), from :mod:`gan_lessons.losses`, on logits.
    """
    def step(real: tf.Tensor) -> tf.Tensor:
        noise = tf.random.normal([tf.shape(real)[0], latent_dim])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            g_loss = losses.non_saturating_g_loss(fake_logits)
            d_loss = losses.cross_entropy_d_loss(real_logits, fake_logits)
        g_vars, d_vars = generator.trainable_variables, discriminator.trainable_variables
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars))
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars))
        return d_loss
    return step


def alternating_step(generator: keras.Model, discriminator: keras.Model, g_opt: Any, d_opt: Any,
                     latent_dim: int) -> Callable[[tf.Tensor], tf.Tensor]:
    """A hand-written step doing what ``GAN.train_step`` does with ``d_steps=1``."""
    def step(real: tf.Tensor) -> tf.Tensor:
        batch = tf.shape(real)[0]
        fake = generator(tf.random.normal([batch, latent_dim]), training=True)
        with tf.GradientTape() as d_tape:
            d_loss = losses.cross_entropy_d_loss(discriminator(real, training=True), discriminator(fake, training=True))
        d_vars = discriminator.trainable_variables
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars))
        with tf.GradientTape() as g_tape:
            fake = generator(tf.random.normal([batch, latent_dim]), training=True)
            g_loss = losses.non_saturating_g_loss(discriminator(fake, training=True))
        g_vars = generator.trainable_variables
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars))
        return g_loss
    return step


def shared_fakes_step(generator: keras.Model, discriminator: keras.Model, g_opt: Any, d_opt: Any,
                      latent_dim: int) -> Callable[[tf.Tensor], tf.Tensor]:
    """Alternating updates that share one generator forward pass, as the PyTorch DCGAN example does.

    The fakes made for the discriminator's update are reused for the generator's,
    under a tape that stops recording during the discriminator's update; the
    generator's loss still goes through the *updated* discriminator. It saves one
    forward pass of the generator per step but draws half as much noise, so it is
    not what ``GAN.train_step`` computes: a measurement of what that change would buy.
    """
    def step(real: tf.Tensor) -> tf.Tensor:
        z = tf.random.normal([tf.shape(real)[0], latent_dim])
        with tf.GradientTape() as g_tape:
            fake = generator(z, training=True)
            with g_tape.stop_recording():
                with tf.GradientTape() as d_tape:
                    d_loss = losses.cross_entropy_d_loss(discriminator(real, training=True),
                                                       discriminator(tf.stop_gradient(fake), training=True))
                d_vars = discriminator.trainable_variables
                d_opt.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars))
            g_loss = losses.non_saturating_g_loss(discriminator(fake, training=True))
        g_vars = generator.trainable_variables
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars))
        return g_loss
    return step


def loop_variant(name: str, description: str, make_step: Callable[..., Any], compiled: bool,
                 real: tf.Tensor, image_shape: Sequence[int], latent_dim: int, seed: int) -> tuple[Variant, str]:
    """A variant that calls a hand-written step in a Python loop."""
    generator, discriminator, source = build_networks(image_shape, latent_dim, seed)
    step = make_step(generator, discriminator, adam(), adam(), latent_dim)
    if compiled:
        step = tf.function(step)

    def run(steps: int) -> None:
        for _ in range(steps):
            loss = step(real)
        float(loss)  # wait for the last step's result

    return Variant(name, description, run), source


def gan_variant(name: str, description: str, jit_compile: bool, real: tf.Tensor,
                image_shape: Sequence[int], latent_dim: int, seed: int, how: str = "fit") -> tuple[Variant, GAN]:
    """A variant that trains a ``GAN``.

    ``how``: ``"fit"`` calls ``GAN.fit`` once per round; ``"fit_unchecked"`` the same
    without the checks of every batch (finite, in range); ``"fit_without_recorder"``
    calls ``keras.Model.fit`` directly, which skips the callback that records every
    step's losses; ``"train_step"`` calls ``tf.function(gan.train_step)`` in a Python
    loop, which skips ``Model.fit`` altogether. The last two locate any cost of the
    class: its update itself, Keras' loop, or the per-step recording.
    """
    if how not in ("fit", "fit_unchecked", "fit_without_recorder", "train_step"):
        raise ValueError(f"how must be 'fit', 'fit_unchecked', 'fit_without_recorder' or 'train_step', got {how!r}")
    generator, discriminator, _ = build_networks(image_shape, latent_dim, seed)
    gan = GAN(generator, discriminator, loss="non_saturating", seed=seed)
    gan.compile(d_optimizer=adam(), g_optimizer=adam(), jit_compile=jit_compile)
    dataset = tf.data.Dataset.from_tensors(real).repeat()

    if how == "fit_unchecked":
        gan.checked_data = _Unchecked()
    if how in ("fit", "fit_unchecked"):
        def run(steps: int) -> None:
            gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    elif how == "fit_without_recorder":
        def run(steps: int) -> None:
            keras.Model.fit(gan, dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
    else:
        step = tf.function(gan.train_step, jit_compile=jit_compile)

        def run(steps: int) -> None:
            for _ in range(steps):
                logs = step(real)
            float(logs["g_loss"])
    return Variant(name, description, run), gan


def time_rounds(variants: list[Variant], steps: int, rounds: int) -> None:
    """Run every working variant ``steps`` steps per round, order rotated each round."""
    for round_index in range(rounds):
        working = [v for v in variants if v.error is None]
        shift = round_index % len(working)
        for variant in working[shift:] + working[:shift]:
            wall, cpu = time.perf_counter(), time.process_time()
            variant.run(steps)
            variant.wall_s.append(time.perf_counter() - wall)
            variant.cpu_s.append(time.process_time() - cpu)
        summary = ", ".join(f"{v.name} {steps / v.wall_s[-1]:.1f}" for v in working)
        print(f"round {round_index + 1}/{rounds} steps/s: {summary}", flush=True)


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise(variants: list[Variant], steps: int) -> dict[str, Any]:
    """Per variant: steps/s and CPU ms per step over rounds, and per-round ratios to the eager loop.

    Two ratios: by wall time (what a learner waits) and by CPU time of this process
    (less sensitive to other programs on a shared machine, but blind to idle waits).
    """
    baseline = next(v for v in variants if v.name == BASELINE)
    table: dict[str, Any] = {}
    for variant in variants:
        if variant.error is not None:
            table[variant.name] = {"description": variant.description, "error": variant.error}
            continue
        table[variant.name] = {
            "description": variant.description,
            "steps_per_s": [steps / wall for wall in variant.wall_s],
            "cpu_ms_per_step": [cpu / steps * 1000 for cpu in variant.cpu_s],
            # Same round and steps: the ratio of speeds is the inverse ratio of times.
            "ratio_vs_eager_wall": [base / mine for mine, base in zip(variant.wall_s, baseline.wall_s)],
            "ratio_vs_eager_cpu": [base / mine for mine, base in zip(variant.cpu_s, baseline.cpu_s)],
        }
    return table


def paired_ratio(table: dict[str, Any], numerator: str, denominator: str, by: str) -> dict[str, float] | None:
    """Per-round speed ratio of two variants (``by`` "wall" or "cpu"): median, min, max; None if one failed."""
    rows = [table.get(numerator, {}), table.get(denominator, {})]
    if any("steps_per_s" not in row for row in rows):
        return None
    if by == "wall":
        ratios = [a / b for a, b in zip(rows[0]["steps_per_s"], rows[1]["steps_per_s"])]
    else:
        ratios = [b / a for a, b in zip(rows[0]["cpu_ms_per_step"], rows[1]["cpu_ms_per_step"])]
    return _spread(ratios)


def _fmt(values: list[float], digits: int) -> str:
    spread = _spread(values)
    return f"{spread['median']:.{digits}f} [{spread['min']:.{digits}f}, {spread['max']:.{digits}f}]"


def render_markdown(result: dict[str, Any]) -> str:
    """``reports/bench.md``: the table, the targets, the set-up and the machine."""
    table, settings, machine = result["variants"], result["settings"], result["machine"]
    lines = [
        "# Training-speed benchmark",
        "",
        f"Written by `{result['command']}` on {result['date']} (commit {machine['git_commit']}).",
        "",
        f"Networks: **{result['networks']}**; images {tuple(settings['image_shape'])}, latent_dim "
        f"{settings['latent_dim']}, batch {settings['batch_size']}; non-saturating loss; Adam 2e-4, beta_1 0.5. "
        f"One step = one discriminator and one generator update. {settings['rounds']} rounds of "
        f"{settings['steps']} steps per variant after {settings['warmup_steps']} warm-up steps, order rotated "
        "each round. Ratios are taken within each round and shown as median [min, max] over rounds, "
        "by wall time and by CPU time of the benchmark process.",
        "",
        "| variant | steps/s | ratio vs eager (wall) | CPU ms/step | ratio vs eager (CPU) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in table.items():
        if "error" in row:
            lines.append(f"| {name} | did not run: {row['error']} | – | – | – |")
            continue
        lines.append(
            f"| {name} | {_fmt(row['steps_per_s'], 1)} | {_fmt(row['ratio_vs_eager_wall'], 2)} "
            f"| {_fmt(row['cpu_ms_per_step'], 1)} | {_fmt(row['ratio_vs_eager_cpu'], 2)} |"
        )
    lines += ["", "## Targets", "", "| ratio | target | by wall time | by CPU time | verdict (wall, CPU) |",
              "| --- | ---: | ---: | ---: | --- |"]
    for label, numerator, denominator, target in result["targets"]:
        wall = paired_ratio(table, numerator, denominator, "wall")
        cpu = paired_ratio(table, numerator, denominator, "cpu")
        if wall is None or cpu is None:
            lines.append(f"| {label} | {target} | – | – | not measured: a variant did not run |")
            continue
        verdict = ", ".join("met" if r["median"] >= target else "NOT met" for r in (wall, cpu))
        lines.append(
            f"| {label} | >= {target} | {wall['median']:.2f} [{wall['min']:.2f}, {wall['max']:.2f}] "
            f"| {cpu['median']:.2f} [{cpu['min']:.2f}, {cpu['max']:.2f}] | {verdict} |"
        )
    diagnosis = [row for row in result.get("diagnosis", [])
                 if paired_ratio(table, row[1], row[2], "cpu") is not None]
    if diagnosis:
        lines += ["", "## Where the time goes", "",
                  "Speed ratios of pairs of variants that differ in one thing (median [min, max] over rounds).", "",
                  "| ratio | what differs | by wall time | by CPU time |", "| --- | --- | ---: | ---: |"]
        for label, numerator, denominator, differs in diagnosis:
            wall = paired_ratio(table, numerator, denominator, "wall")
            cpu = paired_ratio(table, numerator, denominator, "cpu")
            lines.append(f"| {label} | {differs} | {wall['median']:.2f} [{wall['min']:.2f}, {wall['max']:.2f}] "
                         f"| {cpu['median']:.2f} [{cpu['min']:.2f}, {cpu['max']:.2f}] |")
    lines += ["", "## Variants", ""]
    lines += [f"- `{name}`: {row['description']}" for name, row in table.items()]
    notes = list(result.get("notes", []))
    one_minute_loads = [load[0] for load in (machine.get("load_average_at_start"),
                                             machine.get("load_average_at_end")) if load]
    if one_minute_loads and max(one_minute_loads) > 2 * (machine.get("logical_cores") or 1):
        notes.append("The load average was more than twice the number of cores: other programs held most of the "
                     "CPU, so the wall-time columns mostly measure the scheduler. Trust the CPU-time columns and "
                     "rerun on an idle machine for wall times.")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    versions = ", ".join(f"{k} {v}" for k, v in machine["versions"].items() if v != "not installed")
    lines += [
        "", "## Machine", "",
        f"- CPU: {machine['cpu']}; {machine['logical_cores']} logical cores; memory {machine['memory_gb']} GB",
        f"- GPUs seen by TensorFlow: {', '.join(result['tf_gpus']) or 'none'}",
        f"- versions: {versions}",
        f"- load average (1, 5, 15 min) at start: {machine['load_average_at_start']}, at end: "
        f"{machine.get('load_average_at_end')}; above the core count means other work shared the CPU: "
        "absolute speeds are then low and noisy, ratios within a round less so",
        f"- date: {result['date']}",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; writes ``reports/bench.md`` and ``reports/bench.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--image-size", type=int, default=16, help="square images, one channel")
    parser.add_argument("--steps", type=int, default=40, help="steps per variant per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps per variant first")
    parser.add_argument("--no-xla", action="store_true", help="leave out the XLA variant")
    parser.add_argument("--no-diagnosis", action="store_true",
                        help="leave out gan_fit_without_recorder and gan_train_step")
    parser.add_argument("--only", nargs="+", choices=VARIANTS, metavar="VARIANT",
                        help=f"run only these variants (and {BASELINE}, the baseline); one of {', '.join(VARIANTS)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    args = parser.parse_args(argv)
    for name in ("batch_size", "latent_dim", "image_size", "steps", "rounds", "warmup"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be >= 1, got {getattr(args, name)}")

    machine = describe_machine()
    image_shape = (args.image_size, args.image_size, 1)
    rng = np.random.default_rng(args.seed)
    real = tf.constant(rng.uniform(-1, 1, size=(args.batch_size, *image_shape)).astype("float32"))
    common = dict(real=real, image_shape=image_shape, latent_dim=args.latent_dim, seed=args.seed)

    factories: dict[str, Callable[[], Variant]] = {
        "tf_function_tutorial": lambda: loop_variant(
            "tf_function_tutorial", "the same step under @tf.function, as in the TF DCGAN tutorial",
            tutorial_step, True, **common)[0],
        "tf_function_alternating": lambda: loop_variant(
            "tf_function_alternating", "hand-written @tf.function step with GAN.train_step's updates "
            "(D update, then G update on fresh noise through the updated D)", alternating_step, True, **common)[0],
        "gan_fit": lambda: gan_variant(
            "gan_fit", "gan_lessons.training.GAN.fit, one fit call per round", False, **common)[0],
        "tf_function_shared_fakes": lambda: loop_variant(
            "tf_function_shared_fakes", "hand-written @tf.function alternating step that reuses the D step's "
            "fakes (one generator forward pass) for the G step, as the PyTorch DCGAN example does",
            shared_fakes_step, True, **common)[0],
        "gan_fit_without_recorder": lambda: gan_variant(
            "gan_fit_without_recorder", "keras.Model.fit on the same GAN, without the LossHistory callback "
            "that GAN.fit adds", False, how="fit_without_recorder", **common)[0],
        "gan_train_step": lambda: gan_variant(
            "gan_train_step", "tf.function(GAN.train_step) called in a Python loop, without Model.fit",
            False, how="train_step", **common)[0],
        "gan_fit_unchecked": lambda: gan_variant(
            "gan_fit_unchecked", "GAN.fit without the input checks of every batch (finite, inside the "
            "generator's range): what the checks cost", False, how="fit_unchecked", **common)[0],
        "gan_fit_xla": lambda: gan_variant(
            "gan_fit_xla", "GAN.fit after compile(jit_compile=True) (XLA)", True, **common)[0],
    }
    if args.only:
        selected = args.only
    else:
        selected = [name for name in factories
                    if not (args.no_xla and name == "gan_fit_xla")
                    and not (args.no_diagnosis and name in DIAGNOSIS_VARIANTS)]
    eager, networks = loop_variant(
        BASELINE, "the TF DCGAN tutorial's step (one forward pass, two tapes), eager, no tf.function",
        tutorial_step, False, **common)
    variants = [eager] + [factories[name]() for name in selected if name != BASELINE]

    for variant in variants:
        start = time.perf_counter()
        try:
            variant.run(args.warmup)
        except Exception as error:  # XLA may not compile every op; the report says so
            variant.error = " ".join(f"{type(error).__name__}: {error}".split())[:200]
        print(f"warm-up {variant.name}: {time.perf_counter() - start:.1f} s"
              + (f" FAILED {variant.error}" if variant.error else ""), flush=True)
    if eager.error is not None:
        print(f"bench: the baseline failed: {eager.error}", file=sys.stderr)
        return 1
    time_rounds(variants, args.steps, args.rounds)

    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    result = {
        "command": ("python tools/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])).strip(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "networks": networks,
        "settings": {"batch_size": args.batch_size, "latent_dim": args.latent_dim, "image_shape": image_shape,
                     "steps": args.steps, "rounds": args.rounds, "warmup_steps": args.warmup},
        "variants": summarise(variants, args.steps),
        "targets": [
            ("GAN.fit / hand-written tf.function step (tutorial)", "gan_fit", "tf_function_tutorial", 0.95),
            ("GAN.fit / hand-written tf.function step (same alternating updates)", "gan_fit",
             "tf_function_alternating", 0.95),
            ("GAN.fit / eager loop", "gan_fit", BASELINE, 2.0),
            ("GAN.fit with XLA / GAN.fit", "gan_fit_xla", "gan_fit", 1.0),
            ("GAN.fit with input checks / without (checks cost < 2 %)", "gan_fit", "gan_fit_unchecked", 0.98),
        ],
        "diagnosis": DIAGNOSIS,
        "notes": [
            "tf_function_tutorial updates both networks from one forward pass (a simultaneous update). "
            "GAN.train_step alternates, as Goodfellow et al. (2014, Algorithm 1) and the Keras DCGAN example do: "
            "the generator's update sees the discriminator after its update, on fresh noise. That costs one more "
            "forward pass of each network per step, so compare gan_fit with tf_function_alternating for the cost "
            "of the GAN class and Model.fit alone.",
            "gan_fit times whole fit() calls, including the set-up Keras does at each call (iterator, callbacks); "
            "a notebook calls fit once for many more steps, so this is a pessimistic figure for the class.",
        ],
        "tf_gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
        "machine": machine,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(render_markdown(result), encoding="utf-8")
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
