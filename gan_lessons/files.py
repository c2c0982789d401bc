"""Files the course ships, read as package data and verified by checksum.

The files live in the repository's ``datasets/`` folder, which is installed as the
package-data folder ``gan_lessons.datasets`` (editable or not), with a manifest of
SHA-256 checksums (``SHA256SUMS``). Loaders verify a file before reading it, so a
damaged or swapped file gives an error naming the file.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

CHECKSUM_MANIFEST = "SHA256SUMS"


def shipped_file(name: str) -> Path:
    """The path of a file the course ships (package data of ``gan_lessons.datasets``).

    Found through ``importlib.resources``, so it works for an editable install (the
    repository's ``datasets/`` folder) and for a wheel installed anywhere (Colab).
    Not verified here: loaders call :func:`verify_checksum` before reading.
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise ValueError(f"expected the bare name of a shipped file, such as 'german_credit.csv', got {name!r}")
    path = Path(str(resources.files("gan_lessons.datasets") / name))
    if not path.is_file():
        raise ValueError(
            f"expected {name} among the files the course ships (in {path.parent}), but there is no such file"
        )
    return path


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
    writes); default manifest: the ``SHA256SUMS`` shipped with the package.
    """
    manifest = Path(manifest) if manifest is not None else shipped_file(CHECKSUM_MANIFEST)
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
    the shipped ``SHA256SUMS``. A damaged, truncated or swapped file raises ``ValueError``
    naming the file and both digests.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"expected a data file at {path}, but there is no such file")
    if expected_sha256 is None:
        manifest = read_checksum_manifest()
        if path.name not in manifest:
            raise ValueError(
                f"expected {path.name} to be listed in the shipped {CHECKSUM_MANIFEST}; "
                f"it lists {sorted(manifest)}"
            )
        expected_sha256 = manifest[path.name]
    actual = sha256_of_file(path)
    if actual != expected_sha256.lower():
        raise ValueError(
            f"checksum mismatch for {path}: expected SHA-256 {expected_sha256.lower()}, "
            f"got {actual}; the file is damaged or not the one the course ships "
            "(restore it with `git checkout -- datasets/` in a clone, or reinstall the course)"
        )
    return path
