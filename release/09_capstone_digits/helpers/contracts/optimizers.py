"""Contracts of lesson 07's graded functions: optimizer steps that return new arrays."""
from typing import Any

import numpy as np

from . import Contract, Property, elementwise


def _returns_new_arrays(arg_names: tuple[str, ...], return_names: tuple[str, ...]) -> Property:
    """A property: no returned array is (or shares memory with) an input. The harness
    already sees an input that was modified; this sees an input handed back as the
    result (e.g. ``return w`` when lr is 0), which the caller could then modify by accident."""
    def check(args: tuple[Any, ...], value: Any) -> str | None:
        values = value if len(return_names) > 1 else (value,)
        for out_name, out in zip(return_names, values):
            for arg_name, arg in zip(arg_names, args):
                if isinstance(out, np.ndarray) and isinstance(arg, np.ndarray) \
                        and np.may_share_memory(out, arg):
                    return (f"The returned {out_name} is the input {arg_name} itself (or a view "
                            "of it): return a new array, computed with an expression such as "
                            f"`{arg_name} - ...`, not the input changed in place.")
        return None
    return check


def _contract(args: tuple[str, ...], returns: tuple[str, ...]) -> Contract:
    # every array argument is elementwise; the hyperparameters (lr, t, ...) are keywords
    return Contract(args=args, returns=returns, properties=(_returns_new_arrays(args, returns),),
                    batch_axes=elementwise(*args))


CONTRACTS = {
    "sgd_step": _contract(("w", "dw"), ("w",)),
    "momentum_step": _contract(("w", "dw", "velocity"), ("w", "velocity")),
    "rmsprop_step": _contract(("w", "dw", "cache"), ("w", "cache")),
    "adam_step": _contract(("w", "dw", "m", "v", "t"), ("w", "m", "v")),
}
