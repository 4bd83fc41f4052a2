"""The check harness that the notebooks' test cells call.

Two checks, both raising ``AssertionError`` with a message a student can act on:

- :func:`check_example` compares a function with a value worked out by hand (the
  visible tests);
- :func:`check_reference` compares it with the reference in :mod:`helpers.reference`
  on the same input (the hidden tests).

The function runs on copies of the inputs, with floating-point warnings recorded and
stderr captured, so that a right answer never writes to stderr (nbgrader would score
the test cell zero) and never fails because of a warning it was allowed to raise.
"""
import contextlib
import numbers
import traceback

import numpy as np

from . import catalogue
from .calling import Outcome, run  # noqa: F401 (Outcome and run are part of this interface)
from .contracts import contract


def check_example(name, fn, args, expected, kwargs=None):
    """Check ``fn(*args, **kwargs)`` against an ``expected`` value worked out by hand."""
    __tracebackhide__ = True  # IPython shows the message, not the harness's frames
    _check(name, fn, args, kwargs or {}, expected)


def check_reference(name, fn, args, kwargs=None):
    """Check ``fn(*args, **kwargs)`` against the reference implementation of ``name``."""
    __tracebackhide__ = True
    from . import reference
    kwargs = kwargs or {}
    expected = run(getattr(reference, name), args, kwargs, contract(name).args)
    if expected.error is not None:  # a broken test, not a student's mistake
        raise RuntimeError(f"the reference {name} failed on this input: {expected.error!r}")
    _check(name, fn, args, kwargs, expected.value)


def _check(name, fn, args, kwargs, expected):
    __tracebackhide__ = True
    spec = contract(name)
    with _references_for(fn, spec.uses):
        got = run(fn, args, kwargs, spec.args)
    problems = []
    if got.error is not None:
        problems.append(_describe_error(got.error))
    else:
        value_problem = _compare_returns(expected, got.value, spec)
        if value_problem:
            problems.append(value_problem)
        elif spec.properties:
            problems += [p for p in (prop(got.args, got.value) for prop in spec.properties) if p]
    if got.mutated:
        problems.append(
            f"It modified its input {', '.join(got.mutated)}: a graded function must not change "
            "its inputs. Build new arrays instead (use `x = x + ...`, not `x += ...`)."
        )
    if got.float_warnings and (problems or spec.warning_free):
        problems.append(
            "It raised floating-point warnings: " + "; ".join(got.float_warnings) + "."
            + (" The contract requires a result free of such warnings on inputs like these."
               if spec.warning_free else "")
        )
    if not problems:
        return
    shown = tuple(a for a in spec.args[:len(args)]) + tuple(f"{k}={v!r}" for k, v in kwargs.items())
    call = f"{name}({', '.join(shown)})"
    lines = [f"{call} is not right."] + problems
    lines.append("The input was:\n" + _describe_inputs(spec.args[:len(args)], args, kwargs))
    known = diagnose(name, args, kwargs, got)
    if known:
        lines.append(f"This looks like a known mistake: {known}")
    raise AssertionError("\n".join(lines))


@contextlib.contextmanager
def _references_for(fn, names):
    """Point the names ``fn`` looks up for the other graded functions it calls at their
    references for the duration of a check (when the references are available)."""
    namespace = getattr(fn, "__globals__", None)
    try:
        from . import reference
        replacements = {n: getattr(reference, n) for n in names}
    except (ImportError, AttributeError):
        replacements = {}
    if namespace is None or not replacements:
        yield
        return
    missing = object()
    saved = {n: namespace.get(n, missing) for n in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for n, old in saved.items():
            if old is missing:
                namespace.pop(n, None)
            else:
                namespace[n] = old


def diagnose(name, args, kwargs, got):
    """The description of the catalogued mistake that behaves like ``got``, if any."""
    spec = contract(name)
    try:
        mistakes = catalogue.entries(name, kind="mistake")
    except Exception:  # the catalogue is optional (students may not have it)
        return None
    for entry in mistakes:
        theirs = run(entry.implementation, args, kwargs, spec.args)
        if _same_behaviour(theirs, got, spec):
            return entry.description
    return None


def _same_behaviour(a, b, spec):
    if a.float_warnings != b.float_warnings or a.mutated != b.mutated:
        return False
    if (a.error is None) != (b.error is None):
        return False
    if a.error is not None:
        return type(a.error) is type(b.error)
    return _compare_returns(a.value, b.value, spec) is None


def _compare_returns(expected, got, spec):
    """None when ``got`` matches ``expected``, otherwise what is wrong, in a sentence."""
    names = spec.returns
    if len(names) == 1:
        return _mismatch(expected, got, names[0], spec)
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return (f"It should return {len(names)} values ({', '.join(names)}) as a tuple, "
                f"but it returned {_kind(got)}.")
    for exp, value, label in zip(expected, got, names):
        problem = _mismatch(exp, value, label, spec)
        if problem:
            return problem
    return None


def _mismatch(expected, got, label, spec):
    if isinstance(expected, np.ndarray):
        return _array_mismatch(expected, got, label, spec)
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"{label} should be a list of {len(expected)} arrays, got {_kind(got)}."
        for i, (exp, value) in enumerate(zip(expected, got)):
            problem = _mismatch(exp, value, f"{label}[{i}]", spec)
            if problem:
                return problem
        return None
    if isinstance(expected, numbers.Real):
        scalar = isinstance(got, numbers.Real) and not isinstance(got, bool)
        if not scalar and not (isinstance(got, np.ndarray) and got.shape == ()):
            return f"{label} should be a float, got {_kind(got)}."
        return _array_mismatch(np.asarray(float(expected)), np.asarray(float(got)), label, spec)
    raise TypeError(f"cannot compare with an expected {type(expected).__name__}")


def _array_mismatch(expected, got, label, spec):
    if type(got) is not np.ndarray:
        return f"{label} should be an ndarray of shape {expected.shape}, got {_kind(got)}."
    if got.shape != expected.shape:
        hint = " (the transposed shape)" if got.shape == expected.shape[::-1] else ""
        return f"{label} should have shape {expected.shape}, but it has shape {got.shape}{hint}."
    if expected.dtype.kind == "f" and got.dtype != expected.dtype:
        return (f"{label} should hold {expected.dtype} values, but it holds {got.dtype}: "
                "keep the computation in float64.")
    if expected.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return f"{label} should hold integers, but it holds {got.dtype}."
    with np.errstate(all="ignore"):
        e = expected.astype(float)
        g = got.astype(float)
        error = np.abs(g - e)
        close = (error <= spec.atol + spec.rtol * np.abs(e)) | (g == e) | (np.isnan(g) & np.isnan(e))
        if close.all():
            return None
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f"{label}[{', '.join(map(str, index))}]" if index else label
        finite = np.isfinite(error)
        max_abs = error[finite].max() if finite.any() else np.nan
        nonzero = finite & (np.abs(e) > 0)  # a relative error means nothing where 0 is expected
        max_rel = (error[nonzero] / np.abs(e[nonzero])).max() if nonzero.any() else np.nan
    return (
        f"{label} has wrong values: {int((~close).sum())} of {close.size} differ. "
        f"First at {where}: expected {_num(expected[index])}, got {_num(got[index])}. "
        f"Max abs error {max_abs:.3g}"
        + (f", max rel error {max_rel:.3g}." if np.isfinite(max_rel) else ".")
        + (f" {int(np.isnan(g).sum())} of your values are NaN, which means an invalid "
           "operation such as 0 / 0, inf - inf or 0 * inf happened."
           if np.isnan(g).any() and not np.isnan(e).any() else "")
    )


def _describe_error(error):
    if getattr(error, "student_when", "") == "defining":
        return (f"Your answer cell raised {type(error).__name__} when it ran: {error}"
                f"{' (at ' + error.student_where + ')' if error.student_where else ''}.")
    if hasattr(error, "student_where"):  # reported by the grading sandbox
        return f"It raised {type(error).__name__}: {error}" + \
            (f" at {error.student_where}." if error.student_where else ".")
    where = ""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not _is_library(f.filename)]
    if frames:  # the innermost frame of the student's own code
        frame = frames[-1]
        where = f" at line {frame.lineno} of your code: `{(frame.line or '').strip()}`"
    return f"It raised {type(error).__name__}: {error}{where}."


def _describe_inputs(arg_names, args, kwargs):
    pairs = list(zip(arg_names, args)) + list(kwargs.items())
    with np.printoptions(precision=6, threshold=30, edgeitems=2, linewidth=88):
        return "\n".join(f"  {n} = {_show(v)}" for n, v in pairs)


def _show(value):
    if isinstance(value, np.ndarray):
        text = np.array2string(value, prefix="      ")
        return f"{text}  (shape {value.shape})"
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return "[" + ", ".join(f"array of shape {v.shape}" for v in value) + "]"
    return repr(value)


def _kind(value):
    described = getattr(type(value), "course_kind", None)
    if described is not None:  # a value the grading sandbox would not pass on
        return described(value)
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape}" if type(value) is np.ndarray \
            else f"a {type(value).__name__} (an ndarray subclass)"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return "None" if value is None else f"a {type(value).__name__}"


def _num(x):
    return f"{float(x):.10g}"


def _is_library(filename):
    return any(part in filename for part in ("site-packages", "/helpers/check.py", "/numpy/",
                                             "/helpers/reference/"))
