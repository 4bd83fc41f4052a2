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
from __future__ import annotations

import contextlib
import numbers
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from . import catalogue
from .calling import Outcome, run  # noqa: F401 (Outcome and run are part of this interface)
from .contracts import Contract, contract
from .proxy import Described, reported


def check_example(name: str, fn: Callable[..., Any], args: Sequence[Any], expected: Any,
                  kwargs: dict[str, Any] | None = None) -> None:
    """Check ``fn(*args, **kwargs)`` against an ``expected`` value worked out by hand."""
    __tracebackhide__ = True  # IPython shows the message, not the harness's frames
    _check(name, fn, args, kwargs or {}, expected)


def check_reference(name: str, fn: Callable[..., Any], args: Sequence[Any],
                    kwargs: dict[str, Any] | None = None) -> None:
    """Check ``fn(*args, **kwargs)`` against the reference implementation of ``name``."""
    __tracebackhide__ = True
    from . import reference
    kwargs = kwargs or {}
    expected = run(getattr(reference, name), args, kwargs, contract(name).args)
    if expected.error is not None:  # a broken test, not a student's mistake
        raise RuntimeError(f"the reference {name} failed on this input: {expected.error!r}")
    _check(name, fn, args, kwargs, expected.value)


def _check(name: str, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
           expected: Any) -> None:
    __tracebackhide__ = True
    spec = contract(name)
    counting = spec.batch_axes is not None
    with references_for(fn, spec.uses):
        got = run(fn, args, kwargs, spec.args, count_lines=counting)
    problems = []
    loops = False
    if got.error is not None:
        problems.append(describe_error(got.error))
    else:
        value_problem = _compare_returns(expected, got.value, spec)
        if value_problem:
            problems.append(value_problem)
        elif spec.properties:
            problems += [p for p in (prop(got.args, got.value) for prop in spec.properties) if p]
        if not problems and counting:
            looping = loop_problem(fn, args, kwargs, spec, got)
            if looping:
                problems.append(looping)
                loops = True
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
    known = diagnose(name, args, kwargs, got, submission=fn, loops=loops)
    if known:
        lines.append(f"This looks like a known mistake: {known}")
    raise CheckFailed("\n".join(lines))


class CheckFailed(AssertionError):
    """A failed check. Its message is all a student needs, so the notebook shows it
    first and whole: IPython displays ``_render_traceback_()`` in place of a traceback
    (none of the harness's frames), and lines are wrapped to fit ``nbgrader validate``,
    which cuts every line after 87 characters (4 of indent, and "...")."""

    WIDTH = 80

    def _render_traceback_(self) -> list[str]:
        import textwrap
        rendered = []
        for line in str(self).splitlines():
            indent = line[:len(line) - len(line.lstrip())]
            rendered += textwrap.wrap(line, self.WIDTH, subsequent_indent=indent + "  ",
                                      break_on_hyphens=False) or [""]
        return rendered


#: How many times the loop check repeats an input along each of its batch axes.
REPEATS = 3


def loop_problem(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
                  spec: Contract, got: Outcome) -> str | None:
    """What is wrong if ``fn`` loops in Python over samples or elements: run on its input
    repeated along the contract's batch axes, a vectorised function runs exactly as many
    lines of its own code as before, a loop more (a count, not a timing: load-proof)."""
    repeated = _repeated(args, kwargs, spec)
    if repeated is None:
        return None
    with references_for(fn, spec.uses):
        bigger = run(fn, *repeated, spec.args, count_lines=True)
    axes = ", ".join(f"{n} along axis {'/'.join(map(str, a))}" for n, a in (spec.batch_axes or {}).items())
    if bigger.error is not None:
        return (f"On the same input repeated {REPEATS} times ({axes}) it failed: "
                f"{describe_error(bigger.error)} A vectorised function handles any batch size.")
    if got.lines is None or bigger.lines is None:
        return ("It switched off Python's tracing (sys.settrace), which this check uses to see "
                "that the function has no Python loop over samples: remove that call.")
    if bigger.lines > got.lines:
        return (f"It runs a Python loop over the samples or elements: on the same input repeated "
                f"{REPEATS} times ({axes}), {bigger.lines} lines of your code ran instead of "
                f"{got.lines}. Use whole-array NumPy operations (x @ W, np.exp(z), a sum over "
                "an axis), which handle every row at once; a loop over the layers is fine.")
    return None


def _repeated(args: Sequence[Any], kwargs: dict[str, Any],
              spec: Contract) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """The inputs with each batch argument repeated REPEATS times along its batch axes,
    or None when there is nothing to repeat."""
    names = list(spec.args[:len(args)])
    values = dict(zip(names, args)) | dict(kwargs)
    changed = False

    def repeat(value: Any, axes: tuple[int, ...]) -> Any:
        nonlocal changed
        if isinstance(value, list):
            return [repeat(v, axes) for v in value]
        if not isinstance(value, np.ndarray):
            return value
        for axis in axes:
            if axis < value.ndim:
                value = np.concatenate([value] * REPEATS, axis=axis)
                changed = True
        return value

    for name, axes in (spec.batch_axes or {}).items():
        if name in values:
            values[name] = repeat(values[name], axes)
    if not changed:
        return None
    return tuple(values[n] for n in names), {k: values[k] for k in kwargs}


@contextlib.contextmanager
def references_for(fn: Callable[..., Any], names: Iterable[str]) -> Iterator[None]:
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


def diagnose(name: str, args: Sequence[Any], kwargs: dict[str, Any], got: Outcome,
             submission: Callable[..., Any] | None = None, loops: bool = False) -> str | None:
    """The description of the catalogued mistake that behaves like ``got``, if any.

    A mistake is named only when it behaves like the submission on more than this one
    input: also on :data:`VARIANTS` other inputs of the same shapes and ranges, when the
    ``submission`` is given. And when the submission ``loops`` (see :func:`loop_problem`),
    only a mistake that loops too is named."""
    spec = contract(name)

    def alike(mistake: Callable[..., Any]) -> bool:
        theirs = run(mistake, args, kwargs, spec.args, count_lines=loops)
        return (same_behaviour(theirs, got, spec)
                and (not loops or bool(loop_problem(mistake, args, kwargs, spec, theirs)))
                and (submission is None or _alike_elsewhere(submission, mistake, args, kwargs, spec)))
    found = first_mistake_like(name, alike)
    if found is None and not catalogue.available():  # a student's copy of the course
        from .hints import hint
        found = hint(name, args, kwargs, got, submission, loops)
    return found


def first_mistake_like(name: str, alike: Callable[[Callable[..., Any]], bool]) -> str | None:
    """The description of the first catalogued mistake of ``name`` for which
    ``alike(implementation)`` is true; None when there is none, or no catalogue (a
    student's bundle has none). A mistake that cannot even be tried names nothing. The
    topic checkers (:mod:`helpers.checkers.initialization`, :mod:`helpers.checkers.capstone`)
    diagnose with it too, each with its own idea of behaving alike."""
    try:
        mistakes = catalogue.entries(name, kind="mistake")
    except Exception:  # the catalogue is optional
        return None
    for entry in mistakes:
        try:
            if alike(entry.implementation):
                return entry.description
        except Exception:
            continue
    return None


#: How many other inputs a submission must behave like a catalogued mistake on.
VARIANTS = 2


def _alike_elsewhere(submission: Callable[..., Any], mistake: Callable[..., Any],
                     args: Sequence[Any], kwargs: dict[str, Any], spec: Contract) -> bool:
    """Whether ``submission`` and ``mistake`` behave alike on VARIANTS inputs like this
    one (:func:`variant`). Inputs with nothing to vary count as alike."""
    for seed in range(1, VARIANTS + 1):
        varied = variant(args, kwargs, seed)
        if varied is None:
            return True
        with references_for(submission, spec.uses):
            mine = run(submission, *varied, spec.args)
        if not same_behaviour(run(mistake, *varied, spec.args), mine, spec):
            return False
    return True


def variant(args: Sequence[Any], kwargs: dict[str, Any],
             seed: int) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    """The inputs with every float array redrawn: for seed 1 uniformly between its own
    minimum and maximum (same range: probabilities stay probabilities), for later seeds
    with random signs and magnitudes up to its largest (so that a coincidence of signs,
    such as an upstream gradient that is positive everywhere, is broken). Shapes,
    integers, scalars and everything else stay. None when no array could vary."""
    rng = np.random.default_rng(seed)
    changed = False

    def vary(value: Any) -> Any:
        nonlocal changed
        if type(value) in (list, tuple):
            return type(value)(vary(v) for v in value)
        if type(value) is dict:
            return {k: vary(v) for k, v in value.items()}
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size > 1 \
                and np.isfinite(value).all() and value.min() < value.max():
            changed = True
            lo, hi = (value.min(), value.max()) if seed == 1 else (-np.abs(value).max(), np.abs(value).max())
            u = rng.uniform(size=value.shape)  # lo (1 - u) + hi u: no overflow near +-1e308
            return (lo * (1 - u) + hi * u).astype(value.dtype)
        return value

    varied = vary(tuple(args)), vary(dict(kwargs))
    return varied if changed else None


def same_behaviour(a: Outcome, b: Outcome, spec: Contract) -> bool:
    """Whether two Outcomes of calls on the same input are alike: the same warnings and
    changed inputs, the same exception with the same message or values equal under the
    contract's tolerances, and the same results of the contract's property checks."""
    if a.float_warnings != b.float_warnings or a.mutated != b.mutated:
        return False
    if (a.error is None) != (b.error is None):
        return False
    if a.error is not None:  # the same failure: the same exception, with the same message
        return type(a.error) is type(b.error) and str(a.error) == str(b.error)
    try:
        if _compare_returns(a.value, b.value, spec) is not None:
            return False
    except TypeError:  # values of a kind the comparison does not know: not alike
        return False
    return properties_of(a, spec) == properties_of(b, spec)


def properties_of(outcome: Outcome, spec: Contract) -> list[str | None]:
    """The contract's property messages for an outcome (a failing property is behaviour)."""
    found = []
    for prop in spec.properties:
        try:
            found.append(prop(outcome.args, outcome.value))
        except Exception as error:
            found.append(type(error).__name__)
    return found


def _compare_returns(expected: Any, got: Any, spec: Contract) -> str | None:
    """None when ``got`` matches ``expected``, otherwise what is wrong, in a sentence."""
    names = spec.returns
    if len(names) == 1:
        return _mismatch(expected, got, names[0], spec)
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return (f"It should return {len(names)} values ({', '.join(names)}) as a tuple, "
                f"but it returned {kind_of(got)}.")
    for exp, value, label in zip(expected, got, names):
        problem = _mismatch(exp, value, label, spec)
        if problem:
            return problem
    return None


def _mismatch(expected: Any, got: Any, label: str, spec: Contract) -> str | None:
    if isinstance(expected, np.ndarray):
        return _array_mismatch(expected, got, label, spec)
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"{label} should be a list of {len(expected)} arrays, got {kind_of(got)}."
        for i, (exp, value) in enumerate(zip(expected, got)):
            problem = _mismatch(exp, value, f"{label}[{i}]", spec)
            if problem:
                return problem
        return None
    if isinstance(expected, numbers.Real):
        scalar = isinstance(got, numbers.Real) and not isinstance(got, bool)
        if not scalar and not (isinstance(got, np.ndarray) and got.shape == ()):
            return f"{label} should be a float, got {kind_of(got)}."
        return _array_mismatch(np.asarray(float(expected)), np.asarray(float(got)), label, spec)
    raise TypeError(f"cannot compare with an expected {type(expected).__name__}")


def _array_mismatch(expected: np.ndarray, got: np.ndarray, label: str, spec: Contract) -> str | None:
    if type(got) is not np.ndarray:
        return f"{label} should be an ndarray of shape {expected.shape}, got {kind_of(got)}."
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
        # The statistics are over the entries that differ; NaN (reported below) excluded.
        wrong = ~close & ~np.isnan(error)
        max_abs = error[wrong].max() if wrong.any() else None
        nonzero = wrong & (e != 0)  # a relative error means nothing where 0 is expected
        max_rel = (error[nonzero] / np.abs(e[nonzero])).max() if nonzero.any() else None
    return (
        f"{label} has wrong values: {int((~close).sum())} of {close.size} differ. "
        f"First at {where}: expected {_num(expected[index])}, got {_num(got[index])}."
        + (f" Max abs error {max_abs:.3g}" if max_abs is not None else "")
        + (f", max rel error {max_rel:.3g}." if max_rel is not None
           else "." if max_abs is not None else "")
        + (f" {int(np.isnan(g).sum())} of your values are NaN, which means an invalid "
           "operation such as 0 / 0, inf - inf or 0 * inf happened."
           if np.isnan(g).any() and not np.isnan(e).any() else "")
    )


def describe_error(error: BaseException) -> str:
    """One sentence on an exception the student's code raised, and where in their code."""
    report = reported(error)  # by the grading sandbox, or None
    if report is not None and report.defining:
        return (f"Your answer cell raised {type(error).__name__} when it ran: {error}"
                f"{' (at ' + report.where + ')' if report.where else ''}.")
    said = f": {error}" if str(error) else ""
    if report is not None:
        return f"It raised {type(error).__name__}{said}" + \
            (f" at {report.where}." if report.where else ".")
    where = ""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not _is_library(f.filename)]
    if frames:  # the innermost frame of the student's own code
        frame = frames[-1]
        where = f" at line {frame.lineno} of your code: `{(frame.line or '').strip()}`"
    return f"It raised {type(error).__name__}{said}{where}."


def _describe_inputs(arg_names: Sequence[str], args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    pairs = list(zip(arg_names, args)) + list(kwargs.items())
    with np.printoptions(precision=6, threshold=30, edgeitems=2, linewidth=CheckFailed.WIDTH - 4):
        return "\n".join(f"  {n} = {_show(v)}" for n, v in pairs)


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, prefix="      ")
        return f"{text}  (shape {value.shape})"
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return "[" + ", ".join(f"array of shape {v.shape}" for v in value) + "]"
    return repr(value)


def kind_of(value: Any) -> str:
    """What ``value`` is, for a message: "an ndarray of shape (2, 3)", "a list of length 4"."""
    if isinstance(value, Described):  # a value the grading sandbox would not pass on
        return value.course_kind()
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape}" if type(value) is np.ndarray \
            else f"a {type(value).__name__} (an ndarray subclass)"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return "None" if value is None else f"a {type(value).__name__}"


def _num(x: Any) -> str:
    return f"{float(x):.10g}"


def _is_library(filename: str) -> bool:
    return any(part in filename for part in ("site-packages", "/helpers/check.py", "/numpy/",
                                             "/helpers/reference/"))
