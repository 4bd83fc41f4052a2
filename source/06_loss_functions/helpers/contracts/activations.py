"""Contracts of lesson 04's graded functions.

The default tolerances suffice: every function here is one or two float64 operations
per element, and correct formulas agree to a few ulps. Keyword arguments (alpha) are
named in messages from the call itself, so args lists the positional ones only.
"""
from . import Contract, elementwise

CONTRACTS = {
    "relu": Contract(args=("z",), returns=("a",), batch_axes=elementwise("z")),
    "relu_backward": Contract(args=("dout", "z"), returns=("dz",), batch_axes=elementwise("dout", "z")),
    "leaky_relu": Contract(args=("z",), returns=("a",), batch_axes=elementwise("z")),
    "leaky_relu_backward": Contract(args=("dout", "z"), returns=("dz",), batch_axes=elementwise("dout", "z")),
    "tanh_backward": Contract(args=("dout", "a"), returns=("dz",), batch_axes=elementwise("dout", "a")),
    # exact for logits as large as 1e4: exp must not overflow, so no warning is allowed
    "softmax": Contract(args=("z",), returns=("p",), warning_free=True,
                        batch_axes={"z": (0, 1)}),  # rows, and classes
}
