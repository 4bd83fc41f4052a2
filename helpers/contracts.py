"""What the check harness needs to know about each graded function beyond its
reference: argument and output names (for messages), tolerances, and the properties
the contract in CURRICULUM.md states that a value comparison cannot see."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contract:
    args: tuple  # argument names, in order
    returns: tuple  # one name: a single value; several: a tuple of that many values
    # Correct float64 formulas differ by a few ulps; these tolerances admit every
    # correct formula in the catalogue and reject every catalogued mistake.
    rtol: float = 1e-7
    atol: float = 1e-12
    # The contract promises no overflow/invalid-value warnings: a warning fails the check.
    warning_free: bool = False
    # Extra checks: callables (args, value) -> message or None.
    properties: tuple = field(default=())
    # Other graded functions this one calls. While it is checked, their names point at
    # the references, so that a mistake in one function costs points only once.
    uses: tuple = field(default=())


def _last_activation_is_out(args, value):
    out, activations = value
    if not isinstance(activations, list):
        return f"activations should be a list, got {type(activations).__name__}."
    if activations[-1] is not out:
        return "the last entry of activations should be the very array returned as out (activations[-1] is out)."
    if activations[0] is not args[0] and not _same_array(activations[0], args[0]):
        return "activations[0] should be the input x itself."
    return None


def _same_array(a, b):
    import numpy as np
    return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)


CONTRACTS = {
    # lesson 01
    "dense_forward": Contract(args=("x", "W", "b"), returns=("out",)),
    "sigmoid": Contract(args=("z",), returns=("a",), warning_free=True),
    "mlp_forward": Contract(
        args=("x", "weights", "biases"),
        returns=("out", "activations"),
        properties=(_last_activation_is_out,),
        uses=("dense_forward", "sigmoid"),
    ),
}


def contract(name):
    try:
        return CONTRACTS[name]
    except KeyError:
        raise KeyError(f"no contract for {name!r}; add it to helpers/contracts.py") from None
