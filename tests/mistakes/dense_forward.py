"""Catalogue for dense_forward(x, W, b): x (N, D), W (D, M), b (M,) -> (N, M)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the bias b was never added: the output is x @ W alone.")
def bias_forgotten(x, W, b):
    return x @ W


@mistake("the weights were applied transposed (x @ W.T): W has shape (D, M), so x @ W already maps D inputs to M outputs.")
def weights_transposed(x, W, b):
    return x @ W.T + b


@mistake("elementwise * was used where a matrix product @ is needed.")
def elementwise_product(x, W, b):
    return x * W + b


@mistake("the bias was added down the columns (b[:, None]) instead of along each row.")
def bias_per_sample(x, W, b):
    return x @ W + b[:, None]


@alternative("np.dot(x, W) + b, the seed articles' spelling of the same product.")
def with_dot(x, W, b):
    return np.dot(x, W) + b


@alternative("an einsum that sums over the shared index d.")
def with_einsum(x, W, b):
    return np.einsum("nd,dm->nm", x, W) + b
