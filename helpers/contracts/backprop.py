"""Contracts of lesson 03's graded functions."""
from . import Contract

CONTRACTS = {
    "dense_backward": Contract(args=("dout", "x", "W"), returns=("dx", "dW", "db")),
    "sigmoid_backward": Contract(args=("dout", "a"), returns=("dz",)),
    "mlp_backward": Contract(
        args=("dout", "activations", "weights"),
        returns=("dweights", "dbiases"),
        uses=("dense_backward", "sigmoid_backward"),
    ),
    # The find-the-bug exercise: seed 002's 3-2-1 network, tanh hidden layer, sigmoid output.
    "tanh_sigmoid_backward": Contract(
        args=("dout", "x", "W1", "a1", "W2", "out"),
        returns=("dW1", "dW2"),
        uses=("dense_backward", "sigmoid_backward"),
    ),
}
