"""Named-mistake hints in a student's copy of the course, which holds no mistake catalogue.

The catalogue (``tests/mistakes/``) is code, and each mistake in it is a solution with one
slip: shipping it would hand students near-solutions. What ships instead, one file per
topic (``helpers/hints/<topic>.json``, written by ``python -m course build`` from
course/hints.py), is how each catalogued mistake *behaves* on the inputs of the lesson's
visible tests: a fingerprint of its outcome on each input and on the check's variants of
that input (:func:`helpers.check.variant`). When a check fails, the student's function is
fingerprinted the same way, and a mistake is named only when every fingerprint agrees: the
same behaviour on the same inputs that the grader's diagnosis asks for. Anything else (an
input no visible test uses, a value that rounds differently) names nothing.

A fingerprint keeps what :func:`helpers.check.same_behaviour` compares: the exception's
type and message, the floating-point warnings, the inputs changed, the contract's
property results, and the value with floats to 7 significant digits (the checks'
relative tolerance is 1e-7).
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..calling import Outcome, run
from ..check import VARIANTS, loop_problem, properties_of, references_for, variant
from ..contracts import Contract, contract

HERE = Path(__file__).resolve().parent
DIGITS = 7


def hint(name: str, args: Sequence[Any], kwargs: dict[str, Any], got: Outcome,
         submission: Callable[..., Any] | None, loops: bool = False) -> str | None:
    """The description of the catalogued mistake that ``submission`` behaves like on this
    visible test's input and its variants, if the shipped hints know one; else None. When
    the submission ``loops`` over samples, only a mistake that loops too is named (as the
    grader's diagnosis does)."""
    spec = contract(name)
    known = _hints().get(name, {}).get(input_key(args, kwargs), [])
    first = fingerprint(got, spec)
    candidates = [entry for entry in known
                  if entry["behaviour"][0] == first and (entry["loops"] or not loops)]
    if not candidates:
        return None
    mine = [first] + [_behaviour_on(submission, varied, spec)
                      for varied in (variant(args, kwargs, seed) for seed in range(1, VARIANTS + 1))]
    return next((entry["mistake"] for entry in candidates if entry["behaviour"] == mine), None)


def behaviour(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
              spec: Contract) -> list[str | None]:
    """The fingerprints of ``fn`` on the input and its variants (None where there is no
    variant, or no function to run on it)."""
    with references_for(fn, spec.uses):
        first = fingerprint(run(fn, args, kwargs, spec.args), spec)
    return [first] + [_behaviour_on(fn, variant(args, kwargs, seed), spec)
                      for seed in range(1, VARIANTS + 1)]


def loops(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any], spec: Contract) -> bool:
    """Whether ``fn`` loops in Python over samples on this input (helpers.check.loop_problem)."""
    if spec.batch_axes is None:
        return False
    with references_for(fn, spec.uses):
        counted = run(fn, args, kwargs, spec.args, count_lines=True)
    return counted.error is None and bool(loop_problem(fn, args, kwargs, spec, counted))


def _behaviour_on(fn: Callable[..., Any] | None, varied: tuple[tuple[Any, ...], dict[str, Any]] | None,
                  spec: Contract) -> str | None:
    if varied is None or fn is None:
        return None
    with references_for(fn, spec.uses):
        return fingerprint(run(fn, *varied, spec.args), spec)


def fingerprint(outcome: Outcome, spec: Contract) -> str:
    error = outcome.error
    seen = {"error": None if error is None else [type(error).__name__, str(error)],
            "warnings": list(outcome.float_warnings), "mutated": list(outcome.mutated),
            "properties": [str(p) for p in properties_of(outcome, spec)],
            "value": None if error is not None else _plain(outcome.value, DIGITS)}
    return _digest(seen)


def input_key(args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    """Which input this is: its values in full (17 digits), shapes and types."""
    return _digest([_plain(list(args), 17), _plain(dict(kwargs), 17)])


def _plain(value: Any, digits: int) -> Any:
    """``value`` as JSON: floats to ``digits`` significant digits (-0 as 0), arrays as
    their kind, shape and values; anything else by its type's name."""
    if isinstance(value, (bool, np.bool_)):
        return ["b", bool(value)]
    if isinstance(value, (int, np.integer)):
        return ["i", int(value)]
    if isinstance(value, (float, np.floating)):
        return ["f", _number(float(value), digits)]
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        flat = value.ravel().tolist()
        numbers = [_number(float(v), digits) for v in flat] if value.dtype.kind == "f" else flat
        return ["a", value.dtype.kind, list(value.shape), numbers]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_plain(v, digits) for v in value]]
    if isinstance(value, dict):
        return ["d", [[str(k), _plain(value[k], digits)] for k in sorted(value, key=str)]]
    if value is None:
        return None
    return ["t", type(value).__name__]


def _number(x: float, digits: int) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    return "0" if x == 0 else f"{x:.{digits}g}"


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, separators=(",", ":")).encode()).hexdigest()[:20]


@functools.cache
def _hints() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{function: {input key: [{"mistake", "behaviour"}]}} from every topic file here."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for path in sorted(HERE.glob("*.json")):
        try:
            found.update(json.loads(path.read_text()))
        except (OSError, ValueError):  # a damaged file gives no hints, never a wrong one
            continue
    return found
