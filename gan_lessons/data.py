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
from numpy.typing import ArrayLike, NDArray

from gan_lessons._checks import finite_array, finite_float64, non_negative_float, positive_float, positive_int


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


def gaussian_mixture(n: int, centers: NDArray[np.floating], std: float, seed: int) -> ToyData:
    """``n`` samples from an equal-weight mixture of isotropic Gaussians.

    ``centers``: (num_modes, dim) means; ``std`` > 0 the common standard deviation.
    """
    n = positive_int(n, "n")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must have shape (num_modes, dim), got {centers.shape}")
    std = positive_float(std, "std")
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
    radius = positive_float(radius, "radius")
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
    spacing = positive_float(spacing, "spacing")
    axis = spacing * (np.arange(size) - (size - 1) / 2)
    centers = np.array([(x, y) for x in axis for y in axis])
    return gaussian_mixture(n, centers, std, seed)


# --- Images: scikit-learn digits (offline) and MNIST (optional download) -----------------


class DatasetUnavailableError(OSError):
    """A data set that must be downloaded could not be (offline, or the server failed)."""


def _scale_to_unit_interval(pixels: NDArray[np.floating], max_value: float) -> NDArray[np.float32]:
    # A tanh generator outputs values in [-1, 1], so the real images must live there too.
    return (np.asarray(pixels, dtype=np.float32) / max_value * 2.0 - 1.0).astype(np.float32)


def _resize(images: NDArray[np.float32], size: int) -> NDArray[np.float32]:
    import keras

    resized = keras.ops.convert_to_numpy(
        keras.ops.image.resize(images, (size, size), interpolation="bilinear", antialias=True)
    )
    # Bilinear interpolation of values in [-1, 1] stays in [-1, 1] up to round-off.
    return np.clip(resized, -1.0, 1.0).astype(np.float32)


def load_digits(size: int = 16) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """scikit-learn's 1,797 handwritten digits (UCI optdigits), scaled to [-1, 1].

    Returns ``images`` of shape (1797, size, size, 1), float32 in [-1, 1]
    (pixel counts 0..16 mapped by x / 8 - 1), and ``labels`` (1797,) in 0..9.
    ``size=8`` keeps the native 8 x 8 grid. The default ``size=16`` upsamples
    bilinearly: a DCGAN halves the resolution with each stride-2 convolution, and
    two of them (16 -> 8 -> 4) give the discriminator a usable depth, which an
    8 x 8 image (8 -> 4 -> 2) barely allows. Upsampling adds no information; it
    only gives the networks room. Loaded from scikit-learn, so it works offline.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    size = positive_int(size, "size")
    if size < 8:
        raise ValueError(f"size must be >= 8 (the native digits are 8 x 8), got {size}")
    bunch = sklearn_digits()
    images = _scale_to_unit_interval(bunch.images[..., None], 16.0)
    if size != 8:
        images = _resize(images, size)
    return images, bunch.target.astype(np.int64)


def load_mnist(size: int = 28, max_images: int | None = None) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """MNIST training images (LeCun et al. 1998) through ``keras.datasets``, in [-1, 1].

    Returns ``images`` (n, size, size, 1) float32 in [-1, 1] (x / 127.5 - 1) and
    ``labels`` (n,). The first call downloads about 11 MB into ``~/.keras/datasets``;
    later calls read that cache. ``max_images`` keeps the first n images.
    Raises :class:`DatasetUnavailableError` when the file can be neither read from
    the cache nor downloaded, so a notebook can fall back to :func:`load_digits`
    and say so.
    """
    import keras

    size = positive_int(size, "size")
    try:
        (images, labels), _ = keras.datasets.mnist.load_data()
    except Exception as error:  # any network or file error means: not available here
        raise DatasetUnavailableError(
            f"expected MNIST in the Keras cache or downloadable, got {type(error).__name__}: {error}"
        ) from error
    if max_images is not None:
        max_images = positive_int(max_images, "max_images")
        images, labels = images[:max_images], labels[:max_images]
    images = _scale_to_unit_interval(images[..., None], 255.0)
    if size != 28:
        images = _resize(images, size)
    return images, np.asarray(labels, dtype=np.int64)


# --- Daily returns of the S&P 500 (lesson 06) -----------------------------------------
# The prices ship inside the ``arch`` package (arch.data.sp500), so no download is needed.

from scipy import optimize, special, stats  # noqa: E402  (kept with the section that needs it)


def load_sp500_prices() -> pd.Series:
    """Daily adjusted closing prices of the S&P 500, 1999-01-04 to 2018-12-31 (5,031 days).

    Read from the copy shipped inside ``arch`` (``arch.data.sp500.load()``; source:
    Yahoo! Finance), so it works offline. Returns a Series indexed by date.
    """
    from arch.data import sp500

    return sp500.load()["Adj Close"].rename("sp500")


def log_returns(prices: pd.Series | ArrayLike, max_gap_days: int = 7) -> NDArray[np.float64]:
    """Daily log returns r_t = log P_t - log P_{t-1} of a price series, shape (n - 1,).

    ``prices``: 1-D, finite and > 0, at least 2 values. If ``prices`` is a Series
    with a DatetimeIndex, its dates must increase with no gap longer than
    ``max_gap_days`` calendar days (a week covers weekends and holidays; a longer
    gap would turn weeks of moves into one "daily" return). Every failure names
    the first offending position (and date).
    """
    max_gap_days = positive_int(max_gap_days, "max_gap_days")
    dates = prices.index if isinstance(prices, pd.Series) else None
    try:
        values = np.asarray(prices, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"prices must be numeric, got {type(prices).__name__}") from error
    if values.ndim != 1:
        raise ValueError(f"prices must be 1-D (one price per day), got shape {values.shape}")
    if values.size < 2:
        raise ValueError(f"prices must hold at least 2 values to give a return, got {values.size}")

    def where(position: int) -> str:
        if isinstance(dates, pd.DatetimeIndex):
            return f"position {position} ({dates[position].date()})"
        return f"position {position}"

    missing = np.flatnonzero(~np.isfinite(values))
    if missing.size:
        raise ValueError(
            f"prices must be finite, got {missing.size} NaN or infinite values, first at {where(missing[0])}"
        )
    non_positive = np.flatnonzero(values <= 0)
    if non_positive.size:
        position = non_positive[0]
        raise ValueError(
            f"prices must be > 0 to take logs, got {values[position]} at {where(position)}"
        )
    if isinstance(dates, pd.DatetimeIndex):
        steps = np.diff(dates.values).astype("timedelta64[D]").astype(np.int64)
        backwards = np.flatnonzero(steps <= 0)
        if backwards.size:
            raise ValueError(
                f"price dates must increase, got a repeated or earlier date at {where(backwards[0] + 1)}"
            )
        gaps = np.flatnonzero(steps > max_gap_days)
        if gaps.size:
            position = gaps[0] + 1
            raise ValueError(
                f"prices have a gap of {steps[gaps[0]]} days (more than max_gap_days={max_gap_days}) "
                f"before {where(position)}; fill or split the series there"
            )
    return np.diff(np.log(values))


def sp500_log_returns() -> NDArray[np.float64]:
    """Daily log returns of the S&P 500, 1999-01-05 to 2018-12-31, shape (5030,).

    :func:`log_returns` of :func:`load_sp500_prices`, so the same checks apply.
    """
    return log_returns(load_sp500_prices())


def standardize(values: ArrayLike) -> tuple[NDArray[np.float64], float, float]:
    """(values - mean) / std with the sample's own mean and std (ddof 0).

    Returns ``(standardized, mean, std)``; :func:`unstandardize` undoes it.
    ``values``: any shape, finite, not constant.
    """
    array = finite_float64(values, "values")
    mean, std = float(array.mean()), float(array.std())
    if std == 0:
        raise ValueError("values must not be constant (std 0), so they cannot be standardised")
    return (array - mean) / std, mean, std


def unstandardize(standardized: ArrayLike, mean: float, std: float) -> NDArray[np.float64]:
    """Inverse of :func:`standardize`: standardized * std + mean, same shape."""
    std = positive_float(std, "std")
    return finite_float64(standardized, "standardized") * std + mean


def rolling_windows(values: ArrayLike, window: int, stride: int = 1) -> NDArray[np.float32]:
    """Overlapping windows of a 1-D series, shape (num_windows, window, 1).

    Window k holds values[k * stride : k * stride + window]; num_windows =
    (n - window) // stride + 1. The trailing axis is the one feature a sequence
    model reads.
    """
    array = finite_array(values, "values", ndim=1)
    window = positive_int(window, "window")
    stride = positive_int(stride, "stride")
    if array.size < window:
        raise ValueError(
            f"too few observations for the window: need at least window={window} values, got {array.size}"
        )
    windows = np.lib.stride_tricks.sliding_window_view(array, window)[::stride]
    return np.ascontiguousarray(windows[..., None])


def lambert_w_heavy_tail(u: ArrayLike, delta: float) -> NDArray[np.float64]:
    """Goerg's (2015) heavy-tail Lambert W transform y = u * exp(delta * u^2 / 2).

    Turns Gaussian u into a heavy-tailed y for delta > 0 (delta = 0: y = u). Used
    by Quant GANs (Wiese et al. 2020, section 6.1) to re-apply the tails of the
    returns to generated, light-tailed values. ``u``: any shape; delta >= 0.
    """
    delta = non_negative_float(delta, "delta")
    array = finite_float64(u, "u")
    return array * np.exp(0.5 * delta * array**2)


def inverse_lambert_w_heavy_tail(y: ArrayLike, delta: float) -> NDArray[np.float64]:
    """Inverse of :func:`lambert_w_heavy_tail`: u = sign(y) * sqrt(W_0(delta * y^2) / delta).

    W_0 is the principal branch of the Lambert W function (w e^w = x); Goerg
    (2015, eq. 9). Gaussianises heavy-tailed y. ``y``: any shape; delta >= 0.
    """
    delta = non_negative_float(delta, "delta")
    array = finite_float64(y, "y")
    if delta == 0:
        return array
    return np.sign(array) * np.sqrt(np.real(special.lambertw(delta * array**2)) / delta)


def fit_lambert_w_delta(standardized: ArrayLike, max_delta: float = 1.0) -> float:
    """The tail parameter delta whose inverse transform leaves zero excess kurtosis.

    The moment step of Goerg's (2011) IGMM: delta solves
    kurtosis(inverse_lambert_w_heavy_tail(z, delta)) = 3 for the given z (already
    centred and scaled), searched in [0, max_delta]. Returns 0 when z has no
    excess kurtosis. :func:`fit_lambert_w` wraps it in the scale iteration.
    """
    array = finite_float64(standardized, "standardized").ravel()
    if stats.kurtosis(array) <= 0:
        return 0.0

    def excess_kurtosis(delta: float) -> float:
        return float(stats.kurtosis(inverse_lambert_w_heavy_tail(array, delta)))

    if excess_kurtosis(max_delta) > 0:
        raise ValueError(
            f"tails too heavy for delta <= max_delta={max_delta}; pass a larger max_delta"
        )
    return float(optimize.brentq(excess_kurtosis, 0.0, max_delta, xtol=1e-8))


def fit_lambert_w(values: ArrayLike, tol: float = 1e-7, max_iter: int = 200) -> tuple[float, float, float]:
    """Location mu, scale sigma and tail delta of a Lambert W x Gaussian sample (IGMM).

    Model (Goerg 2011, eq. 2): y = mu + sigma * u * exp(delta * u^2 / 2), u ~ N(0, 1).
    Iterative generalised method of moments (Goerg 2011, section 4.2): with the
    current (mu, sigma), delta from :func:`fit_lambert_w_delta` on z = (y - mu) / sigma;
    back-transform x = mu + sigma * W_delta^{-1}(z); set (mu, sigma) to the mean and
    std of x; repeat until sigma changes by less than ``tol`` (relative).
    ``values``: 1-D, at least 10 values. Returns ``(mu, sigma, delta)``.
    """
    array = finite_float64(values, "values", ndim=1)
    if array.size < 10:
        raise ValueError(f"too few observations to fit the tails: need at least 10, got {array.size}")
    mu, sigma = float(np.median(array)), float(array.std())
    if sigma == 0:
        raise ValueError("values must not be constant (std 0)")
    delta = 0.0
    for _ in range(positive_int(max_iter, "max_iter")):
        delta = fit_lambert_w_delta((array - mu) / sigma)
        gaussian = mu + sigma * inverse_lambert_w_heavy_tail((array - mu) / sigma, delta)
        new_mu, new_sigma = float(gaussian.mean()), float(gaussian.std())
        converged = abs(new_sigma - sigma) <= tol * sigma
        mu, sigma = new_mu, new_sigma
        if converged:
            break
    return mu, sigma, delta


@dataclass(frozen=True)
class LambertWGaussianizer:
    """The Quant GAN preprocessing of returns (Wiese et al. 2020, section 6.1), fitted.

    transform:  r -> z = (r - mu) / sigma -> u = W_delta^{-1}(z) -> (u - u_mean) / u_std
    with (mu, sigma, delta) from :func:`fit_lambert_w`; ``inverse_transform``
    undoes each step in reverse order, so values drawn on the Gaussian-like scale
    come back as returns with the fitted heavy tails.
    """

    location: float
    scale: float
    delta: float
    gaussian_mean: float
    gaussian_std: float

    @classmethod
    def fit(cls, returns: ArrayLike) -> "LambertWGaussianizer":
        """Fit (mu, sigma, delta) by IGMM (:func:`fit_lambert_w`) and the final scale to 1-D returns."""
        location, scale, delta = fit_lambert_w(returns)
        gaussian = inverse_lambert_w_heavy_tail((finite_float64(returns, "returns") - location) / scale, delta)
        return cls(location, scale, delta, float(gaussian.mean()), float(gaussian.std()))

    def transform(self, returns: ArrayLike) -> NDArray[np.float64]:
        """Returns (any shape) to the Gaussian-like scale the generator learns."""
        standardized = (finite_float64(returns, "returns") - self.location) / self.scale
        gaussian = inverse_lambert_w_heavy_tail(standardized, self.delta)
        return (gaussian - self.gaussian_mean) / self.gaussian_std

    def inverse_transform(self, values: ArrayLike) -> NDArray[np.float64]:
        """Generated values (any shape) back to returns: the exact inverse of :meth:`transform`."""
        gaussian = finite_float64(values, "values") * self.gaussian_std + self.gaussian_mean
        return lambert_w_heavy_tail(gaussian, self.delta) * self.scale + self.location


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
