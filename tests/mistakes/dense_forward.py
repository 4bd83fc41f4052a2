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


@mistake("the layer was written in the column convention, W.T @ x.T + b[:, None], which gives the "
         "(M, N) transpose of the answer: in this course batches are rows, so x @ W + b, shape (N, M).")
def column_convention(x, W, b):
    return W.T @ x.T + b[:, None]


@alternative("the column convention transposed back, (W.T @ x.T + b[:, None]).T, which equals x @ W + b.")
def column_convention_transposed_back(x, W, b):
    return (W.T @ x.T + b[:, None]).T


@alternative("np.dot(x, W) + b, the seed articles' spelling of the same product.")
def with_dot(x, W, b):
    return np.dot(x, W) + b


@alternative("an einsum that sums over the shared index d.")
def with_einsum(x, W, b):
    return np.einsum("nd,dm->nm", x, W) + b


@mistake("a Python loop over the samples computes one row of x @ W + b at a time: NumPy's x @ W "
         "multiplies every row at once, faster by orders of magnitude on a real batch.")
def loop_over_samples(x, W, b):
    out = np.empty((x.shape[0], W.shape[1]))
    for n in range(x.shape[0]):
        out[n] = x[n] @ W + b
    return out
