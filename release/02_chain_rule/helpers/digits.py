"""Lesson 09's data: the handwritten digits that ship inside scikit-learn, and the
course's fixed split of them.

``sklearn.datasets.load_digits()`` holds 1797 grey-scale images of 8 x 8 pixels, each
pixel an integer intensity from 0 (white) to 16 (black), with their labels 0 to 9 (about
180 of each digit). No download: the file is part of the scikit-learn package.

The split is fixed and documented, so that every student, every test and the benchmark
see the same digits:

- the images are flattened to 64 features and divided by 16, so every feature lies in
  [0, 1] (a fixed scaling, learned from no data, so it leaks nothing between the parts);
- the samples are shuffled by ``np.random.default_rng(SPLIT_SEED)`` and the order is
  stratified: within each digit the shuffled samples are spread evenly over the whole
  order, so every stretch of it holds the ten digits in nearly the proportions of the
  whole set (each digit 29 to 31 times in each part of 300);
- the first ``N_TEST`` = 300 samples of that order are the **test** set, the next
  ``N_VAL`` = 300 the **validation** set, and the remaining 1197 the **training** set.

The training set is for fitting, the validation set for choosing settings (epochs,
learning rate, network size) and the test set for one final, honest measurement.
"""
import functools
from typing import NamedTuple

import numpy as np

SPLIT_SEED = 9
N_TEST = 300
N_VAL = 300
N_CLASSES = 10
IMAGE_SHAPE = (8, 8)
MAX_INTENSITY = 16.0


class Split(NamedTuple):
    """The three parts: x of shape (N, 64) with values in [0, 1], y of shape (N,) int64."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_split() -> Split:
    """The fixed train/validation/test split of the digits (fresh copies at each call)."""
    x, y, parts = _load()
    return Split(*(a[parts[name]].copy() for name in ("train", "val", "test") for a in (x, y)))


def split_indices() -> dict[str, np.ndarray]:
    """Which rows of ``load_digits()`` each part holds: {"train", "val", "test"} -> int array."""
    return {name: rows.copy() for name, rows in _load()[2].items()}


def images(x: np.ndarray) -> np.ndarray:
    """Flattened digits (N, 64) back to pictures (N, 8, 8)."""
    return np.asarray(x).reshape(-1, *IMAGE_SHAPE)


def stratified_order(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A shuffled order of ``range(len(y))`` in which every class is spread evenly.

    The samples of each class are shuffled, and the k-th of n_c of them gets the position
    (k + 0.5) / n_c in [0, 1]; sorting by position interleaves the classes, so any stretch
    of the order holds each class in about its share of the whole.
    """
    y = np.asarray(y)
    order = rng.permutation(len(y))
    position = np.empty(len(y))
    for label in np.unique(y):
        members = order[y[order] == label]  # this class's samples, in shuffled order
        position[members] = (np.arange(len(members)) + 0.5) / len(members)
    return np.argsort(position, kind="stable")


@functools.lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    from sklearn.datasets import load_digits  # imported here: it takes a moment
    digits = load_digits()
    x = digits.data.astype(np.float64) / MAX_INTENSITY  # (1797, 64), in [0, 1]
    y = digits.target.astype(np.int64)
    order = stratified_order(y, np.random.default_rng(SPLIT_SEED))
    parts = {"test": order[:N_TEST], "val": order[N_TEST:N_TEST + N_VAL],
             "train": order[N_TEST + N_VAL:]}
    for array in (x, y, *parts.values()):
        array.flags.writeable = False
    return x, y, parts
