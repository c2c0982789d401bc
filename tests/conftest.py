"""Shared test set-up: quiet TensorFlow logs, small models."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
