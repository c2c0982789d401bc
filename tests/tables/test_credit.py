"""The German credit file, its checksum manifest and its loader."""

import shutil

import numpy as np
import pandas as pd
import pytest

from gan_lessons import files, tables


def test_manifest_lists_the_shipped_file_and_it_matches():
    manifest = files.read_checksum_manifest()
    assert tables.GERMAN_CREDIT_FILE in manifest
    path = files.shipped_file(tables.GERMAN_CREDIT_FILE)
    assert files.sha256_of_file(path) == manifest[tables.GERMAN_CREDIT_FILE]


def test_load_german_credit_shape_and_documented_dtypes():
    table = tables.load_german_credit()
    assert table.shape == (1000, 21)
    assert table.columns[-1] == "credit_risk"
    assert list(table["credit_risk"].cat.categories) == ["bad", "good"]
    assert table["credit_risk"].value_counts().to_dict() == {"good": 700, "bad": 300}
    kinds = table.dtypes.map(lambda dtype: "category" if isinstance(dtype, pd.CategoricalDtype) else str(dtype))
    assert kinds.value_counts().to_dict() == {"category": 14, "int64": 7}
    assert table["credit_amount"].between(250, 18424).all()
    assert not table.isna().any().any()


def test_one_changed_byte_is_refused(tmp_path):
    copy = tmp_path / "german_credit.csv"
    shutil.copy(files.shipped_file(tables.GERMAN_CREDIT_FILE), copy)
    raw = bytearray(copy.read_bytes())
    index = raw.index(b"good")
    raw[index] = ord("G")
    copy.write_bytes(bytes(raw))
    expected = files.read_checksum_manifest()[tables.GERMAN_CREDIT_FILE]
    with pytest.raises(ValueError, match=f"checksum mismatch for .*german_credit.csv: expected SHA-256 {expected}, got [0-9a-f]{{64}}"):
        tables.load_german_credit(copy)


def test_a_swapped_file_is_refused_even_under_another_name(tmp_path):
    other = tmp_path / "credit.csv"
    pd.DataFrame({"a": np.arange(3)}).to_csv(other, index=False)
    with pytest.raises(ValueError, match="checksum mismatch for .*credit.csv"):
        tables.load_german_credit(other)


def test_an_unmodified_copy_given_by_path_loads(tmp_path):
    copy = tmp_path / "renamed.csv"
    shutil.copy(files.shipped_file(tables.GERMAN_CREDIT_FILE), copy)
    pd.testing.assert_frame_equal(tables.load_german_credit(copy), tables.load_german_credit())


def test_missing_file_and_bad_manifest_give_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="expected a data file at .*nothing.csv"):
        tables.load_german_credit(tmp_path / "nothing.csv")
    manifest = tmp_path / "SHA256SUMS"
    manifest.write_text("not-a-digest  file.csv\n")
    with pytest.raises(ValueError, match="expected '<sha256>  <file name>' on line 1"):
        files.read_checksum_manifest(manifest)
    with pytest.raises(ValueError, match="expected a checksum manifest at"):
        files.read_checksum_manifest(tmp_path / "absent")


def test_verify_checksum_needs_a_listed_name(tmp_path):
    unlisted = tmp_path / "unlisted.csv"
    unlisted.write_text("a\n1\n")
    with pytest.raises(ValueError, match="expected unlisted.csv to be listed in"):
        files.verify_checksum(unlisted)
    digest = files.sha256_of_file(unlisted)
    assert files.verify_checksum(unlisted, digest) == unlisted
