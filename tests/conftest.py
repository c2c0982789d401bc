"""Shared test set-up: quiet TensorFlow logs, one BLAS/OpenMP thread per test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


@pytest.fixture(autouse=True)
def _one_blas_thread():
    # scikit-learn's fits (encoder mixtures, utility classifiers) spread over every core
    # through BLAS and OpenMP, on top of TensorFlow's own threads: on a 2-core machine
    # the two fight, and one test was measured at two minutes. The tests' models are
    # small, so one thread costs them nothing.
    with threadpool_limits(limits=1):
        yield
