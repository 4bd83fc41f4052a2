"""Contracts of lesson 01's graded functions."""
from typing import Any


from ..calling import same_array
from . import Contract


def _last_activation_is_out(args: tuple[Any, ...], value: Any) -> str | None:
    out, activations = value
    if not isinstance(activations, list):
        return f"activations should be a list, got {type(activations).__name__}."
    if activations[-1] is not out:
        return "the last entry of activations should be the very array returned as out (activations[-1] is out)."
    if activations[0] is not args[0] and not same_array(activations[0], args[0]):
        return "activations[0] should be the input x itself."
    return None


CONTRACTS = {
    "dense_forward": Contract(args=("x", "W", "b"), returns=("out",), batch_axes={"x": (0,)}),
    # atol: the sigmoid is tiny (e^z) far to the left and the contract says exact for any
    # float, so the relative tolerance applies down to about 1e-313; below that, among the
    # subnormals, which hold fewer than 7 digits, an absolute 1e-320 (about 2000 of their
    # 4.9e-324 steps). The old atol of 1e-12 let sigmoid(-600) = 2.65e-261 be 0 or 7e-218.
    "sigmoid": Contract(args=("z",), returns=("a",), warning_free=True, atol=1e-320,
                        batch_axes={"z": (0, 1, 2)}),
    "mlp_forward": Contract(
        args=("x", "weights", "biases"),
        returns=("out", "activations"),
        properties=(_last_activation_is_out,),
        uses=("dense_forward", "sigmoid"),
        batch_axes={"x": (0,)},  # a loop over the layers is expected; over samples, not
    ),
}
