"""Data sets of the course.

Toy mixtures (lessons 01, 02, 05, 10) are generated here from a ``seed``; each
returns a :class:`ToyData` with the samples and the mixture's own description
(centres and standard deviation), which the mode metrics in
:mod:`gan_lessons.metrics` need.

Files the course ships live in ``datasets/`` with a manifest of SHA-256 checksums
(``datasets/SHA256SUMS``); loaders verify a file before reading it
(:func:`verify_checksum`, :func:`load_german_credit`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from gan_lessons._checks import positive_int


@dataclass(frozen=True)
class ToyData:
    """Samples from a Gaussian mixture with equal weights and a shared std.

    ``samples``: (n, dim) float32; ``centers``: (num_modes, dim) float32 means of
    the components; ``std``: their common standard deviation; ``labels``: (n,)
    index of the component each sample came from.
    """

    samples: NDArray[np.float32]
    centers: NDArray[np.float32]
    std: float
    labels: NDArray[np.int64]


def _positive_float(value: float, name: str) -> float:
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def gaussian_mixture(n: int, centers: NDArray[np.floating], std: float, seed: int) -> ToyData:
    """``n`` samples from an equal-weight mixture of isotropic Gaussians.

    ``centers``: (num_modes, dim) means; ``std`` > 0 the common standard deviation.
    """
    n = positive_int(n, "n")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (num_modes, dim), got {centers.shape}")
    std = _positive_float(std, "std")
    rng = np.random.default_rng(seed)
    labels = rng.integers(len(centers), size=n)
    samples = centers[labels] + std * rng.standard_normal((n, centers.shape[1]))
    return ToyData(samples.astype(np.float32), centers.astype(np.float32), std, labels)


def gaussian_1d(n: int, mean: float = 4.0, std: float = 1.25, seed: int = 0) -> ToyData:
    """``n`` samples of a 1-D Gaussian N(mean, std^2), shape (n, 1)."""
    return gaussian_mixture(n, np.array([[mean]]), std, seed)


def ring_centers(num_modes: int = 8, radius: float = 2.0) -> NDArray[np.float32]:
    """Centres of ``num_modes`` Gaussians evenly spaced on a circle, shape (num_modes, 2)."""
    num_modes = positive_int(num_modes, "num_modes")
    radius = _positive_float(radius, "radius")
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def ring_of_gaussians(
    n: int, num_modes: int = 8, radius: float = 2.0, std: float = 0.02, seed: int = 0
) -> ToyData:
    """The ring of 8 Gaussians of Metz et al. (2017): radius 2, std 0.02, shape (n, 2)."""
    return gaussian_mixture(n, ring_centers(num_modes, radius), std, seed)


def grid_of_gaussians(
    n: int, size: int = 5, spacing: float = 2.0, std: float = 0.05, seed: int = 0
) -> ToyData:
    """A ``size`` x ``size`` grid of Gaussians (VEEGAN, PacGAN): centres at
    {-4, -2, 0, 2, 4}^2 for the default 5 x 5 grid, std 0.05, shape (n, 2)."""
    size = positive_int(size, "size")
    spacing = _positive_float(spacing, "spacing")
    axis = spacing * (np.arange(size) - (size - 1) / 2)
    centers = np.array([(x, y) for x in axis for y in axis])
    return gaussian_mixture(n, centers, std, seed)


# --- Shipped files and their checksums (datasets/, lessons 07-09) -------------------------

# The package is installed editable from the repository, so the repository root is
# the parent of the gan_lessons/ directory and the shipped data sit next to it.
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
CHECKSUM_MANIFEST = "SHA256SUMS"


def sha256_of_file(path: str | Path) -> str:
    """Hex SHA-256 digest of a file's bytes (FIPS 180-4), read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksum_manifest(manifest: str | Path | None = None) -> dict[str, str]:
    """File name -> expected SHA-256 from a manifest in ``sha256sum`` format.

    Each line is ``<64 hex digits>  <file name>`` (what ``sha256sum FILE > SHA256SUMS``
    writes); default manifest: ``datasets/SHA256SUMS`` of the repository.
    """
    manifest = Path(manifest) if manifest is not None else DATASETS_DIR / CHECKSUM_MANIFEST
    if not manifest.is_file():
        raise ValueError(f"expected a checksum manifest at {manifest}, but there is no such file")
    expected: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="ascii").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) != 64 or not name or any(c not in "0123456789abcdef" for c in digest.lower()):
            raise ValueError(
                f"expected '<sha256>  <file name>' on line {number} of {manifest}, got {line!r}"
            )
        expected[name] = digest.lower()
    return expected


def verify_checksum(path: str | Path, expected_sha256: str | None = None) -> Path:
    """Check a file's SHA-256 against the expected digest; return the path if it matches.

    ``expected_sha256`` defaults to the entry for the file's name in
    ``datasets/SHA256SUMS``. A damaged, truncated or swapped file raises ``ValueError``
    naming the file and both digests.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"expected a data file at {path}, but there is no such file")
    if expected_sha256 is None:
        manifest = read_checksum_manifest()
        if path.name not in manifest:
            raise ValueError(
                f"expected {path.name} to be listed in {DATASETS_DIR / CHECKSUM_MANIFEST}; "
                f"it lists {sorted(manifest)}"
            )
        expected_sha256 = manifest[path.name]
    actual = sha256_of_file(path)
    if actual != expected_sha256.lower():
        raise ValueError(
            f"checksum mismatch for {path}: expected SHA-256 {expected_sha256.lower()}, "
            f"got {actual}; the file is damaged or not the one the course ships "
            "(restore it with `git checkout -- datasets/`)"
        )
    return path


GERMAN_CREDIT_FILE = "german_credit.csv"
GERMAN_CREDIT_LABEL = "credit_risk"


def load_german_credit(path: str | Path | None = None) -> pd.DataFrame:
    """The German credit data (UCI Statlog, Hofmann 1994): 1,000 applicants, 20 features.

    Verifies the file's SHA-256 against ``datasets/SHA256SUMS`` before reading it
    (a damaged or swapped file raises ``ValueError``). ``path`` defaults to
    ``datasets/german_credit.csv`` in the repository.

    Returns a DataFrame of 1,000 rows and 21 columns in the file's order:

    * 13 text columns as unordered pandas ``category`` (categories sorted), including
      the label ``credit_risk`` (last column) with categories ``["bad", "good"]``
      (300 bad, 700 good; "bad" is the positive class of the lessons);
    * 7 integer columns as ``int64``: ``duration_in_month`` (4-72),
      ``credit_amount`` (250-18,424 DM), ``age_in_years`` (19-75) and four small
      ordinal counts (instalment rate, years at residence, existing credits,
      people liable), which :class:`gan_lessons.tabular.TabularEncoder` treats as
      categories because they take at most 4 values.
    """
    path = Path(path) if path is not None else DATASETS_DIR / GERMAN_CREDIT_FILE
    # The checksum is looked up by the shipped file's name, so a renamed copy given
    # by path is still checked against the course's file.
    expected = read_checksum_manifest()[GERMAN_CREDIT_FILE]
    verify_checksum(path, expected)
    table = pd.read_csv(path)
    for column in table.columns:
        if pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype(np.int64)
        else:
            categories = sorted(table[column].unique())
            table[column] = pd.Categorical(table[column], categories=categories)
    return table
