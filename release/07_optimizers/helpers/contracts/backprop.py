"""Contracts of lesson 03's graded functions."""
from . import Contract

CONTRACTS = {
    "dense_backward": Contract(args=("dout", "x", "W"), returns=("dx", "dW", "db"),
                               batch_axes={"dout": (0,), "x": (0,)}),
    "sigmoid_backward": Contract(args=("dout", "a"), returns=("dz",),
                                 batch_axes={"dout": (0, 1), "a": (0, 1)}),
    "mlp_backward": Contract(
        args=("dout", "activations", "weights"),
        returns=("dweights", "dbiases"),
        uses=("dense_backward", "sigmoid_backward"),
        batch_axes={"dout": (0,), "activations": (0,)},
    ),
    # The find-the-bug exercise: a published tutorial's 3-2-1 network, tanh hidden layer, sigmoid output.
    "tanh_sigmoid_backward": Contract(
        args=("dout", "x", "W1", "a1", "W2", "out"),
        returns=("dW1", "dW2"),
        uses=("dense_backward", "sigmoid_backward"),
    ),
}
