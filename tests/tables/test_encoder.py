"""The CTGAN-style tabular encoder: exact round trip and clear errors."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gan_lessons import tables


@pytest.fixture(scope="module")
def credit():
    return tables.load_german_credit()


@pytest.fixture(scope="module")
def credit_encoder(credit):
    return tables.TabularEncoder().fit(credit)


def test_round_trip_on_the_real_table(credit, credit_encoder):
    encoded = credit_encoder.transform(credit)
    assert encoded.shape == (1000, credit_encoder.output_dim)
    pd.testing.assert_frame_equal(credit_encoder.inverse_transform(encoded), credit)


def test_encoding_layout(credit, credit_encoder):
    kinds = {span.column: span.kind for span in credit_encoder.spans}
    assert {c for c, k in kinds.items() if k == "numeric"} == {"duration_in_month", "credit_amount", "age_in_years"}
    encoded = credit_encoder.transform(credit)
    assert sum(width for _, width in credit_encoder.heads) == credit_encoder.output_dim
    start = 0
    for activation, width in credit_encoder.heads:
        block = encoded[:, start : start + width]
        if activation == "softmax":
            np.testing.assert_array_equal(block.sum(axis=1), 1.0)  # one-hot
        else:
            assert np.abs(block).max() < 1.0  # equation (1): within 4 std of the mode
        start += width


def test_alpha_matches_equation_1_by_hand():
    values = pd.DataFrame({"x": np.r_[np.linspace(0, 1, 50), np.linspace(10, 11, 50)]})
    encoder = tables.TabularEncoder(seed=3).fit(values)
    fitted = encoder._numeric["x"]
    encoded = encoder.transform(values)
    mode = encoded[:, 1:].argmax(axis=1)
    expected = (values["x"].to_numpy() - fitted.means[mode]) / (4 * fitted.stds[mode])
    np.testing.assert_allclose(encoded[:, 0], expected)
    assert len(fitted.means) >= 2  # two well separated clusters need two modes


def test_inverse_respects_ranges_and_integer_dtype(credit, credit_encoder):
    rng = np.random.default_rng(0)
    noise = rng.uniform(-1, 1, size=(200, credit_encoder.output_dim))
    decoded = credit_encoder.inverse_transform(noise)
    assert list(decoded.dtypes) == list(credit.dtypes)
    for column in ("credit_amount", "age_in_years", "duration_in_month"):
        assert decoded[column].between(credit[column].min(), credit[column].max()).all()


def test_harden_gives_one_hot_blocks_and_is_seeded(credit_encoder):
    rng = np.random.default_rng(1)
    soft = rng.uniform(0.01, 1, size=(50, credit_encoder.output_dim))
    first, second = credit_encoder.harden(soft, seed=5), credit_encoder.harden(soft, seed=5)
    np.testing.assert_array_equal(first, second)
    start = 0
    for activation, width in credit_encoder.heads:
        if activation == "softmax":
            np.testing.assert_array_equal(first[:, start : start + width].sum(axis=1), 1.0)
        start += width


def test_sampled_categories_follow_the_probabilities():
    table = pd.DataFrame({"c": pd.Categorical(["a", "b"] * 5)})
    encoder = tables.TabularEncoder().fit(table)
    probabilities = np.tile([[0.2, 0.8]], (20000, 1))
    share_b = encoder.harden(probabilities, seed=0)[:, 1].mean()
    assert abs(share_b - 0.8) < 0.01
    assert encoder.harden(probabilities)[:, 1].all()  # without a seed: the arg-max


@st.composite
def random_tables(draw):
    n = draw(st.integers(min_value=2, max_value=40))
    integers = st.integers(min_value=-1000, max_value=1000)
    floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=64)
    letters = st.sampled_from(["a", "b", "c", "d"])
    table = pd.DataFrame(
        {
            "float_col": draw(st.lists(floats, min_size=n, max_size=n)),
            "int_col": draw(st.lists(integers, min_size=n, max_size=n)),
            "small_int": draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
            "category_col": pd.Categorical(draw(st.lists(letters, min_size=n, max_size=n)), categories=["a", "b", "c", "d"]),
            "text_col": draw(st.lists(letters, min_size=n, max_size=n)),
            "flag": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }
    )
    return table.astype({"int_col": "int64", "small_int": "int64", "float_col": "float64"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables(), st.integers(min_value=0, max_value=2**16))
def test_round_trip_on_random_tables(table, seed):
    encoder = tables.TabularEncoder(seed=seed).fit(table)
    decoded = encoder.inverse_transform(encoder.transform(table))
    exact = table.drop(columns="float_col")
    pd.testing.assert_frame_equal(decoded.drop(columns="float_col"), exact)
    assert decoded["float_col"].dtype == np.float64
    np.testing.assert_allclose(decoded["float_col"], table["float_col"], rtol=1e-9, atol=1e-6)


def test_unseen_category_is_refused(credit, credit_encoder):
    bad = credit.head(3).copy()
    bad["purpose"] = bad["purpose"].astype(str)
    bad.loc[bad.index[0], "purpose"] = "space travel"
    with pytest.raises(ValueError, match="column 'purpose' has categories not seen in fit: \\['space travel'\\]"):
        credit_encoder.transform(bad)


def test_missing_and_extra_columns_are_refused(credit, credit_encoder):
    with pytest.raises(ValueError, match=r"missing \['age_in_years'\], unexpected \[\]"):
        credit_encoder.transform(credit.drop(columns="age_in_years"))
    with pytest.raises(ValueError, match=r"missing \[\], unexpected \['extra'\]"):
        credit_encoder.transform(credit.assign(extra=1))


def test_nan_is_refused_in_fit_and_transform(credit, credit_encoder):
    holes = credit.head(5).copy()
    holes["credit_amount"] = holes["credit_amount"].astype(float)
    holes.loc[holes.index[1], "credit_amount"] = np.nan
    with pytest.raises(ValueError, match=r"must not contain NaN/missing values; found missing counts \{'credit_amount': 1\}"):
        credit_encoder.transform(holes)
    with pytest.raises(ValueError, match="must not contain NaN"):
        tables.TabularEncoder().fit(holes)


def test_integer_column_names_fit_transform_and_round_trip():
    table = pd.DataFrame({0: [1.5, 2.0, 3.25, 4.0, 8.0, 9.5], 1: ["a", "b", "a", "a", "b", "a"]})
    encoder = tables.TabularEncoder().fit(table)
    assert encoder.columns == [0, 1] and [span.column for span in encoder.spans] == [0, 1]
    decoded = encoder.inverse_transform(encoder.transform(table))
    assert list(decoded.columns) == [0, 1]
    pd.testing.assert_series_equal(decoded[1], table[1])
    np.testing.assert_allclose(decoded[0], table[0], rtol=1e-9)
    with pytest.raises(ValueError, match=r"missing \[1\], unexpected \['1'\]"):
        encoder.transform(table.rename(columns={1: "1"}))


def test_infinite_values_are_refused_in_fit_and_transform(credit, credit_encoder):
    spiked = credit.head(5).copy()
    spiked["credit_amount"] = spiked["credit_amount"].astype(float)
    spiked.loc[spiked.index[2], "credit_amount"] = np.inf
    with pytest.raises(ValueError, match=r"column 'credit_amount' must be finite, got 1 NaN or infinite values \(first at index \[2\]\)"):
        credit_encoder.transform(spiked)
    with pytest.raises(ValueError, match="column 'credit_amount' must be finite"):
        tables.TabularEncoder().fit(spiked)


def test_other_bad_inputs(credit_encoder):
    with pytest.raises(TypeError, match="table must be a pandas DataFrame, got ndarray"):
        tables.TabularEncoder().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="not fitted yet"):
        tables.TabularEncoder().transform(pd.DataFrame({"a": [1.0]}))
    width = credit_encoder.output_dim
    with pytest.raises(ValueError, match=rf"encoded must have shape \(n >= 1, {width}\), got \(2, 3\)"):
        credit_encoder.inverse_transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="encoded must be finite"):
        credit_encoder.inverse_transform(np.full((2, credit_encoder.output_dim), np.nan))
    with pytest.raises(ValueError, match="weight_threshold must be in"):
        tables.TabularEncoder(weight_threshold=1.5)
    with pytest.raises(TypeError, match="weight_threshold must be a number, got str: '0.1'"):
        tables.TabularEncoder(weight_threshold="0.1")
    with pytest.raises(ValueError, match="must have at least one row"):
        tables.TabularEncoder().fit(pd.DataFrame({"a": []}))
