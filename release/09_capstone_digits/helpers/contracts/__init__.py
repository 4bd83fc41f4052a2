"""What the check harness needs to know about each graded function beyond its
reference: argument and output names (for messages), tolerances, and the properties
that a value comparison cannot see. One module per lesson, each with a ``CONTRACTS``
dict; this package collects them (so a lesson adds a module and touches nothing else)."""
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: A property check: (the inputs after the call, the returned value) -> message or None.
Property = Callable[[tuple[Any, ...], Any], str | None]


@dataclass(frozen=True)
class Contract:
    args: tuple[str, ...]  # argument names, in order
    returns: tuple[str, ...]  # one name: a single value; several: a tuple of that many values
    # Correct float64 formulas differ by a few ulps; these tolerances admit every
    # correct formula in the catalogue and reject every catalogued mistake.
    rtol: float = 1e-7
    atol: float = 1e-12
    # The contract promises no overflow/invalid-value warnings: a warning fails the check.
    warning_free: bool = False
    # Extra checks: callables (args, value) -> message or None.
    properties: tuple[Property, ...] = field(default=())
    # Other graded functions this one calls. While it is checked, their names point at
    # the references, so that a mistake in one function costs points only once.
    uses: tuple[str, ...] = field(default=())
    # Seconds the graded function may run, all its tests together, while graded in the
    # sandbox (course.isolation); None means the grader's default (10 s).
    budget: float | None = None
    # Inputs a vectorised answer handles without a Python loop: argument name -> the axes
    # along which the check repeats that input (samples, and for an elementwise function
    # every axis; an argument that is a list of arrays has each array repeated). The
    # answer must run no more lines of its own code on the repeated input than on the
    # original (helpers.check). None: not checked.
    batch_axes: dict[str, tuple[int, ...]] | None = None


def elementwise(*names: str) -> dict[str, tuple[int, ...]]:
    """``batch_axes`` for arguments that an elementwise function handles whatever their
    shape: each is repeated along every axis it has."""
    return {name: (0, 1, 2) for name in names}


def _collect() -> dict[str, Contract]:
    found: dict[str, Contract] = {}
    for module in pkgutil.iter_modules(__path__):
        found.update(importlib.import_module(f"{__name__}.{module.name}").CONTRACTS)
    return found


CONTRACTS = _collect()


def contract(name: str) -> Contract:
    try:
        return CONTRACTS[name]
    except KeyError:
        raise KeyError(f"no contract for {name!r}; add it to a module in helpers/contracts/") from None
