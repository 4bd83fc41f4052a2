"""Catalogue for rel_error(a, b): max of |a - b| / max(1e-8, |a| + |b|), as a float."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the denominator has no floor: where a and b are both 0 it divides 0 by 0 and gives nan "
         "(and tiny values look far apart); divide by np.maximum(1e-8, |a| + |b|).")
def no_floor(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


@mistake("it takes the mean over the elements instead of the max: one wrong entry among many "
         "correct ones must not be averaged away.")
def mean_not_max(a, b):
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


@mistake("abs is missing on the difference a - b, so entries where a < b count as negative "
         "errors; use np.abs(a - b).")
def signed_difference(a, b):
    return float(np.max((a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


@mistake("the denominator is |a + b| instead of |a| + |b|: where a and b have opposite signs "
         "a + b can be near 0 and the ratio explodes.")
def abs_of_sum(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))


@mistake("it divides the largest difference by the largest denominator (a ratio of two maxima); "
         "divide elementwise first, then take the max of the ratios.")
def ratio_of_maxima(a, b):
    return float(np.max(np.abs(a - b)) / np.maximum(1e-8, np.max(np.abs(a) + np.abs(b))))


@mistake("the denominator is max(|a|, |b|) instead of the sum |a| + |b| that the contract uses.")
def max_denominator(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))))


@alternative("np.clip for the floor and the array's own .max(), on np.asarray copies.")
def clipped(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return (np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-8, None)).max()


@alternative("Python's max over the flattened ratios.")
def python_max(a, b):
    ratios = np.abs(np.subtract(a, b)) / np.fmax(1e-8, np.abs(a) + np.abs(b))
    return max(np.ravel(ratios).tolist())
