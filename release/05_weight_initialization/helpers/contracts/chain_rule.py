"""Contracts of lesson 02's graded functions."""
from . import Contract, elementwise

CONTRACTS = {
    # Two correct central differences evaluate f at the same points x +- h e_i, but may
    # round differently on the way (an x - h computed as (x + h) - 2h, a division by the
    # step actually taken, f summed in another order): each changes f(x +- h e_i) by about
    # eps |f| and so the quotient by about eps |f| / h = 2.2e-16 * 20 / 1e-5 ~ 4e-10 for
    # the test functions (|f| < 20, h >= 1e-5). The error is absolute, not relative to the
    # gradient, so atol carries it with a margin of 25 and rtol is 0. The forward
    # difference is off by |f''| h / 2 ~ 5e-6 at h = 1e-5 for the tests' |f''| ~ 1, so it
    # stays 500 times outside.
    "numerical_gradient": Contract(args=("f", "x"), returns=("grad",), rtol=0.0, atol=1e-8),
    "rel_error": Contract(args=("a", "b"), returns=("error",), batch_axes=elementwise("a", "b")),
    # sigmoid is lesson 01's: while graded, the answer calls the course's reference.
    "neuron_gradients": Contract(args=("x", "w", "b", "y"), returns=("loss", "dw", "db"),
                                 uses=("sigmoid",), batch_axes={"x": (0,), "w": (0,)}),  # features
}
