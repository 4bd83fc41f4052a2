"""Calling a function the way a check does: on deep copies of the inputs, with
floating-point warnings recorded and stderr captured, noting which inputs it modified.

Kept apart from the check harness because the grading sandbox uses it too, and the
sandbox must import nothing that could load the course's reference implementations.
"""
import contextlib
import copy
import io
import os
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

from .proxy import proxy


@dataclass
class Outcome:
    """What one call of a function did."""
    value: object = None
    error: BaseException = None
    float_warnings: tuple = ()  # messages of the floating-point RuntimeWarnings raised
    mutated: tuple = ()  # names of the inputs it modified
    args: tuple = field(default=(), repr=False)  # the inputs it received, after the call
    # Lines of the caller's own code that ran (see LineCounter), when asked for; None when
    # not counted, or when the function switched the counting off.
    lines: int = None


def run(fn, args, kwargs, arg_names, count_lines=False):
    """Call ``fn`` on deep copies of the inputs and record what it did; with
    ``count_lines``, also how many lines of non-library Python code ran.

    While grading, ``fn`` may be a proxy for the student's function running in a sandbox
    process (course.grading); the proxy does this same work there.
    """
    remote = proxy(fn)
    if remote is not None:
        return remote.course_remote(args, kwargs, arg_names, count_lines)
    received = copy.deepcopy((tuple(args), dict(kwargs)))
    pristine = copy.deepcopy(received)
    outcome = Outcome()
    counter = LineCounter() if count_lines else contextlib.nullcontext()
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        try:
            with counter:
                outcome.value = fn(*received[0], **received[1])
        except Exception as error:  # the student's exception is reported, not raised
            outcome.error = error
    if count_lines:
        outcome.lines = counter.lines
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


class LineCounter:
    """Counts the lines of Python that run in code outside the libraries (Python's, NumPy's,
    the course's ``helpers``): the student's own code, wherever they wrote it.

    The count is deterministic: a vectorised function runs the same lines whatever the size
    of its input, while a loop over samples runs more lines for more samples. So comparing
    the counts of two calls tells the loop apart without timing anything. ``lines`` is None
    when the code replaced the trace function (``sys.settrace``), which hides its lines.
    """

    def __init__(self):
        self.lines = 0
        self._ours = {}  # code object -> whether its lines are counted
        self._tracer = self._on_call  # one bound method, so that it can be recognised

    def __enter__(self):
        self._saved = sys.gettrace()
        sys.settrace(self._tracer)
        return self

    def __exit__(self, *exc):
        tampered = sys.gettrace() is not self._tracer
        sys.settrace(self._saved)
        if tampered:
            self.lines = None
        return False

    def _on_call(self, frame, event, arg):
        code = frame.f_code
        counted = self._ours.get(code)
        if counted is None:
            counted = self._ours[code] = not _is_library_file(code.co_filename)
        return self._on_line if counted else None

    def _on_line(self, frame, event, arg):
        if event == "line":
            self.lines += 1
        return self._on_line


def _library_folders():
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
               os.path.dirname(os.path.abspath(__file__))}  # this package: helpers/
    wire = sys.modules.get("wire")  # the grading sandbox's own code sits beside wire.py
    if wire is not None and getattr(wire, "__file__", None):
        folders.add(os.path.dirname(os.path.abspath(wire.__file__)))
    folders |= {os.path.realpath(f) for f in folders}
    return tuple(f.rstrip(os.sep) + os.sep for f in folders)


_LIBRARIES = None


def _is_library_file(filename):
    global _LIBRARIES
    if _LIBRARIES is None:
        _LIBRARIES = _library_folders()
    return filename.startswith(_LIBRARIES) or filename.startswith("<frozen")


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
