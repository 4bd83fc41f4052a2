"""Calling a function the way a check does: on deep copies of the inputs, with
floating-point warnings recorded and stderr captured, noting which inputs it modified.

Kept apart from the check harness because the grading sandbox uses it too, and the
sandbox must import nothing that could load the course's reference implementations.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

import numpy as np

from .proxy import proxy


@dataclass
class Outcome:
    """What one call of a function did."""
    value: Any = None
    error: BaseException | None = None
    float_warnings: tuple = ()  # messages of the floating-point RuntimeWarnings raised
    mutated: tuple = ()  # names of the inputs it modified
    args: tuple = field(default=(), repr=False)  # the inputs it received, after the call
    # Lines of the caller's own code that ran (see LineCounter), when asked for; None when
    # not counted, or when the function switched the counting off.
    lines: int | None = None


def run(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
        arg_names: Sequence[str] | None, count_lines: bool = False) -> Outcome:
    """Call ``fn`` on deep copies of the inputs and record what it did; with
    ``count_lines``, also how many lines of non-library Python code ran.

    While grading, ``fn`` may be a proxy for the student's function running in a sandbox
    process (course.isolation); the proxy does this same work there.
    """
    remote = proxy(fn)
    if remote is not None:
        return remote.course_remote(tuple(args), kwargs, tuple(arg_names or ()), count_lines)
    received = copy.deepcopy((tuple(args), dict(kwargs)))
    pristine = copy.deepcopy(received)
    outcome = Outcome()
    counter = LineCounter()
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        try:
            with counter if count_lines else contextlib.nullcontext():
                outcome.value = fn(*received[0], **received[1])
        except Exception as error:  # the student's exception is reported, not raised
            outcome.error = error
    if count_lines:
        outcome.lines = counter.lines
    outcome.float_warnings = tuple(sorted({
        str(w.message) for w in caught
        if issubclass(w.category, RuntimeWarning) and _is_float_warning(str(w.message))
    }))
    names = list(arg_names or ()) + list(received[1])
    given = list(received[0]) + list(received[1].values())
    before = list(pristine[0]) + list(pristine[1].values())
    outcome.mutated = tuple(
        n for n, now, then in zip(names, given, before) if not _identical(now, then)
    )
    outcome.args = received[0]
    return outcome


class LineCounter:
    """Counts the lines of Python that run in code outside the libraries (Python's, NumPy's,
    the course's ``helpers``): the student's own code, wherever they wrote it.

    The count is deterministic: a vectorised function runs the same lines whatever the size
    of its input, while a loop over samples runs more lines for more samples. So comparing
    the counts of two calls tells the loop apart without timing anything. ``lines`` is None
    when the code replaced the trace function (``sys.settrace``), which hides its lines.
    """

    def __init__(self) -> None:
        self.lines: int | None = None  # set on leaving
        self._count = 0
        self._ours: dict[CodeType, bool] = {}  # code object -> whether its lines are counted
        self._tracer = self._on_call  # one bound method, so that it can be recognised

    def __enter__(self) -> LineCounter:
        self._saved = sys.gettrace()
        sys.settrace(self._tracer)
        return self

    def __exit__(self, *exc: object) -> None:
        tampered = sys.gettrace() is not self._tracer
        sys.settrace(self._saved)
        self.lines = None if tampered else self._count

    def _on_call(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        code = frame.f_code
        counted = self._ours.get(code)
        if counted is None:
            counted = self._ours[code] = not _is_library_file(code.co_filename)
        return self._on_line if counted else None

    def _on_line(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if event == "line":
            self._count += 1
        return self._on_line


def _library_folders() -> tuple[str, ...]:
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
               os.path.dirname(os.path.abspath(__file__))}  # this package: helpers/
    wire = getattr(sys.modules.get("wire"), "__file__", None)  # the sandbox's code sits beside wire.py
    if wire:
        folders.add(os.path.dirname(os.path.abspath(wire)))
    folders |= {os.path.realpath(f) for f in folders}
    return tuple(f.rstrip(os.sep) + os.sep for f in folders)


_LIBRARIES: tuple[str, ...] | None = None


def _is_library_file(filename: str) -> bool:
    global _LIBRARIES
    if _LIBRARIES is None:
        _LIBRARIES = _library_folders()
    return filename.startswith(_LIBRARIES) or filename.startswith("<frozen")


def same_array(a: object, b: object) -> bool:
    """Whether ``a`` and ``b`` are ndarrays of one shape and equal values, a NaN equal to a
    NaN where both hold floats (the one array comparison the harness and contracts use)."""
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape):
        return False
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc"))


def _identical(now: Any, then: Any) -> bool:
    if isinstance(then, np.ndarray):
        return same_array(now, then)
    if isinstance(then, (list, tuple)):
        return isinstance(now, type(then)) and len(now) == len(then) and \
            all(_identical(a, b) for a, b in zip(now, then))
    if isinstance(then, dict):
        return isinstance(now, dict) and now.keys() == then.keys() and \
            all(_identical(now[k], then[k]) for k in then)
    return True  # scalars and functions cannot be modified in place


def _is_float_warning(message: str) -> bool:
    return any(word in message for word in ("overflow", "invalid value", "divide by zero"))
