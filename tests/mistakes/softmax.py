"""Catalogue for softmax(z): row-wise softmax of an (N, C) array, exact for logits of 1e4."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("without subtracting each row's maximum first, np.exp overflows to inf for logits above about 709, and inf / inf is nan.")
def no_max_subtraction(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@mistake("the sums run down the columns (axis=0): each row is one sample, so normalise along axis=1.")
def normalised_over_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@mistake("each row's maximum was subtracted, but the exponentials were divided by their column sums (e.sum(axis=0)): that is a softmax over axis 0, so each column sums to 1; each row is one sample, so divide by e.sum(axis=1, keepdims=True).")
def row_max_column_sums(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@mistake("the whole array was normalised at once (e / e.sum()): each row must sum to 1 on its own.")
def normalised_over_everything(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@mistake("the maximum of the whole array was subtracted, not each row's: a row far below the others underflows to 0 / 0 = nan. Use z.max(axis=1, keepdims=True).")
def global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


@mistake("the row maxima or sums lost their axis (no keepdims=True): an (N,) array broadcasts against the columns of (N, C), not the rows.")
def keepdims_forgotten(z):
    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1)


@alternative("exp(z - logsumexp(z)), with the log-sum-exp computed stably from the row maximum.")
def via_logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    return np.exp(z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True)))


@alternative("the row maximum as a column with [:, None] instead of keepdims=True.")
def with_newaxis(z):
    e = np.exp(z - np.max(z, axis=1)[:, None])
    return e / np.sum(e, axis=1)[:, None]
