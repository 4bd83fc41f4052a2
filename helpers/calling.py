"""Calling a function the way a check does: on deep copies of the inputs, with
floating-point warnings recorded and stderr captured, noting which inputs it modified.

Kept apart from the check harness because the grading sandbox uses it too, and the
sandbox must import nothing that could load the course's reference implementations.
"""
import contextlib
import copy
import io
import warnings
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Outcome:
    """What one call of a function did."""
    value: object = None
    error: BaseException = None
    float_warnings: tuple = ()  # messages of the floating-point RuntimeWarnings raised
    mutated: tuple = ()  # names of the inputs it modified
    args: tuple = field(default=(), repr=False)  # the inputs it received, after the call


def run(fn, args, kwargs, arg_names):
    """Call ``fn`` on deep copies of the inputs and record what it did.

    While grading, ``fn`` may be a proxy for the student's function running in a sandbox
    process (course.grading); the proxy does this same work there.
    """
    remote = getattr(type(fn), "course_remote", None)
    if remote is not None:
        return remote(fn, args, kwargs, arg_names)
    received = copy.deepcopy((tuple(args), dict(kwargs)))
    pristine = copy.deepcopy(received)
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        try:
            outcome.value = fn(*received[0], **received[1])
        except Exception as error:  # the student's exception is reported, not raised
            outcome.error = error
    outcome.float_warnings = tuple(sorted({
        str(w.message) for w in caught
        if issubclass(w.category, RuntimeWarning) and _is_float_warning(str(w.message))
    }))
    names = list(arg_names) + list(received[1])
    given = list(received[0]) + list(received[1].values())
    before = list(pristine[0]) + list(pristine[1].values())
    outcome.mutated = tuple(
        n for n, now, then in zip(names, given, before) if not _identical(now, then)
    )
    outcome.args = received[0]
    return outcome


def _identical(now, then):
    if isinstance(then, np.ndarray):
        return isinstance(now, np.ndarray) and now.shape == then.shape and \
            np.array_equal(now, then, equal_nan=then.dtype.kind in "fc")
    if isinstance(then, (list, tuple)):
        return isinstance(now, type(then)) and len(now) == len(then) and \
            all(_identical(a, b) for a, b in zip(now, then))
    if isinstance(then, dict):
        return isinstance(now, dict) and now.keys() == then.keys() and \
            all(_identical(now[k], then[k]) for k in then)
    return True  # scalars and functions cannot be modified in place


def _is_float_warning(message):
    return any(word in message for word in ("overflow", "invalid value", "divide by zero"))
