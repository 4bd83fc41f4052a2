"""The check for random initializers, such as lesson 05's ``xavier_init`` and ``he_init``.

Their results are random draws, so :func:`helpers.check.check_reference` (which compares
values) does not fit: a correct answer may draw in another order, or with
``rng.standard_normal`` instead of ``rng.normal``, and get other numbers. This check looks
at what every correct answer shares:

- the result is an ndarray of float64 with the shape ``(fan_in, fan_out)``;
- all its randomness comes from the ``rng`` it is given: two generators of the same seed
  give the same array whatever ``np.random.seed`` says, generators of different seeds give
  different arrays, and NumPy's and Python's global random states are left alone;
- on a large enough sample, the mean, the standard deviation and the shape of the
  distribution (the fraction of draws within one and two standard deviations) are those
  of a normal distribution with mean 0 and the given standard deviation.

Every statistical tolerance is a number of standard errors for the sample size (see
:data:`SIGMAS`), so a correct answer fails with negligible probability, and the sample
sizes the lesson uses put the common wrong scales tens of standard errors away. The
messages follow :mod:`helpers.check`'s style, and a failing answer is compared with the
catalogued mistakes of the function, run on a copy of the same generator and the same
global state, to name the one it made.

While grading, the function may run in a sandbox process (``course.isolation``), which
:func:`helpers.check.run` hides behind the same interface. The global random states this
check seeds and inspects are then the grader's, not the sandbox's, so a function that
draws from ``np.random`` is caught there by its irreproducible results (two calls with the
same seed differ) rather than by the state it changed.
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from ..calling import Outcome, same_array
from ..check import CheckFailed, describe_error, first_mistake_like, kind_of, run, same_behaviour
from ..contracts import Contract, contract

# How far, in standard errors, a sample statistic may stray before the check fails. For a
# statistic that is normal (or nearly so, which the central limit theorem makes it for
# these sample sizes), a correct answer falls outside +-6 standard errors with probability
# erfc(6 / sqrt(2)) = 2e-9; tests/test_reference_initialization.py proves rigorous
# (Chernoff-type) bounds below 1e-6 for every statistic at the smallest sample allowed.
SIGMAS = 6

# The fewest values on which the statistics are checked. At n values the tolerance on the
# standard deviation is +-6 / sqrt(2 n) of it: 4.2% at n = 10 000 and 1.3% at the
# n = 100 000 of a 400 x 250 layer, where the common wrong scales are far outside (the
# LeCun scale sqrt(1 / fan_in) is 10% below Glorot's for 400 x 250, He's scale taken from
# fan_out is 26% above). Smaller shapes are checked for type, shape and reproducibility
# only: there the tolerances must be so wide that they say little.
MIN_SAMPLE = 10_000

# Fraction of a normal distribution within k standard deviations of its mean,
# P(|Z| <= k) = erf(k / sqrt(2)): 68.27% for k = 1, 95.45% for k = 2. A uniform
# distribution with the same standard deviation s lives on [-sqrt(3) s, sqrt(3) s], so it
# has 1 / sqrt(3) = 57.7% within one standard deviation and 100% within two.
BANDS = {k: math.erf(k / math.sqrt(2)) for k in (1, 2)}

# np.random.seed (and random.seed) before the first and the second call: if the result
# depends on the global state, the two calls differ.
GLOBAL_SEEDS = (1, 2)


def check_initializer(name: str, fn: Callable[..., Any], fan_in: int, fan_out: int,
                      std: float | None = None, seed: int = 0) -> None:
    """Check the random initializer ``fn(fan_in, fan_out, rng)`` with ``rng`` a fresh
    ``np.random.default_rng(seed)``.

    Always checks the type, dtype and shape and that the randomness comes from ``rng``
    only. With ``std`` (which needs ``fan_in * fan_out >= MIN_SAMPLE``) also checks that
    the values look like a sample of the normal distribution with mean 0 and standard
    deviation ``std``. Raises ``AssertionError`` with what to fix.
    """
    __tracebackhide__ = True  # IPython shows the message, not the harness's frames
    n = fan_in * fan_out
    if std is not None and n < MIN_SAMPLE:  # a broken test, not a student's mistake
        raise ValueError(f"the statistics need at least {MIN_SAMPLE} values; "
                         f"{fan_in} x {fan_out} has {n}: check this shape without std")
    spec = contract(name)
    saved = np.random.get_state(), random.getstate()
    try:
        problems, first = _problems(fn, fan_in, fan_out, std, seed, spec)
        if not problems:
            return
        if first.float_warnings:
            problems.append("It raised floating-point warnings: " + "; ".join(first.float_warnings) + ".")
        lines = [f"{name}({', '.join(spec.args)}) is not right."] + problems
        lines.append(f"The input was:\n  fan_in = {fan_in!r}\n  fan_out = {fan_out!r}\n"
                     f"  rng = np.random.default_rng({seed})")
        known = _diagnose(name, (fan_in, fan_out, np.random.default_rng(seed)), first, spec)
        if known:
            lines.append(f"This looks like a known mistake: {known}")
    finally:  # the notebook's global random state is as it was
        np.random.set_state(saved[0])
        random.setstate(saved[1])
    raise CheckFailed("\n".join(lines))


def _problems(fn: Callable[..., Any], fan_in: int, fan_out: int, std: float | None, seed: int,
              spec: Contract) -> tuple[list[str], Outcome]:
    """(list of what is wrong, the Outcome of the first call)."""
    label = spec.returns[0]
    shape = (fan_in, fan_out)
    first, touched = _call(fn, (fan_in, fan_out, np.random.default_rng(seed)), GLOBAL_SEEDS[0], spec)
    if first.error is not None:
        return [describe_error(first.error)], first
    w = first.value
    if type(w) is not np.ndarray:
        return [f"{label} should be an ndarray of shape {shape}, got {kind_of(w)}."], first
    if w.shape != shape:
        hint = " (the transposed shape)" if w.shape == shape[::-1] else ""
        return [f"{label} should have shape (fan_in, fan_out) = {shape}, but it has shape "
                f"{w.shape}{hint}."], first
    if w.dtype != np.float64:
        return [f"{label} should hold float64 values, but it holds {w.dtype}."], first

    problems = []
    if touched:
        problems.append(
            f"It used a global random state ({' and '.join(touched)}): the state was different "
            "after the call. Take every random number from the generator rng that the function "
            "is given, e.g. rng.normal(...), never from np.random.randn, np.random.normal or "
            "np.random.seed.")
    again, _ = _call(fn, (fan_in, fan_out, np.random.default_rng(seed)), GLOBAL_SEEDS[1], spec)
    if not same_array(again.value, w):
        problems.append(
            f"Two calls with generators of the same seed, np.random.default_rng({seed}), gave "
            "different arrays. The result must depend on rng alone, so that the seed reproduces "
            "it: draw nothing from NumPy's global random state (np.random.randn, "
            "np.random.normal, ...) and make no generator of your own without a seed.")
    other, _ = _call(fn, (fan_in, fan_out, np.random.default_rng(seed + 1)), GLOBAL_SEEDS[0], spec)
    if same_array(other.value, w):
        problems.append(
            f"Generators of different seeds ({seed} and {seed + 1}) gave the same array: the "
            "function does not draw from rng. Use the rng argument (rng.normal(...)), not a "
            "generator or a state of its own.")
    if std is not None:
        problems += _statistics(w, std)
    return problems, first


def _statistics(w: np.ndarray, std: float) -> list[str]:
    """What is wrong with ``w`` as a sample of N(0, std^2), in sentences."""
    n = w.size
    problems = []
    # The sample mean of n draws with standard deviation std has standard error
    # std / sqrt(n) (and is exactly normal for normal draws).
    mean = float(np.mean(w))
    tol = SIGMAS * std / math.sqrt(n)
    if not abs(mean) <= tol:
        problems.append(
            f"The mean of its {n} values is {mean:.4g}, but it should be 0 (within +-{tol:.2g}, "
            f"{SIGMAS} standard errors for {n} values). Draw around 0: rng.normal(0.0, std, ...).")
    # For n normal draws, n s^2 / std^2 follows a chi-squared distribution with n - 1
    # degrees of freedom, so the sample standard deviation s has standard error about
    # std / sqrt(2 n).
    s = float(np.std(w))
    tol = SIGMAS * std / math.sqrt(2 * n)
    if not abs(s - std) <= tol:
        problems.append(
            f"The standard deviation of its {n} values is {s:.4g}, but it should be {std:.4g} "
            f"(within +-{tol:.2g}, {SIGMAS} standard errors for {n} values): it is "
            f"{s / std:.3g} times the right one. Check the formula of the scale, and that "
            "rng.normal gets the standard deviation (its scale), not the variance.")
    if problems:  # the shape of the distribution is only meaningful at the right scale
        return problems
    # The number of draws within k standard deviations is binomial(n, p) with p = BANDS[k],
    # so the fraction has standard error sqrt(p (1 - p) / n).
    for k, p in BANDS.items():
        inside = float(np.mean(np.abs(w) <= k * std))
        tol = SIGMAS * math.sqrt(p * (1 - p) / n)
        if not abs(inside - p) <= tol:
            problems.append(
                f"Its values are not normally distributed: {inside:.2%} of them lie within "
                f"{k} standard deviation{'s' if k > 1 else ''} of 0, where a normal "
                f"distribution has {p:.2%} (within +-{tol:.2%} for {n} values). A uniform "
                "distribution, for instance, has 57.7% and 100%. Draw with rng.normal or "
                "rng.standard_normal.")
            break
    return problems


def _call(fn: Callable[..., Any], args: tuple[Any, ...], global_seed: int,
          spec: Contract) -> tuple[Outcome, list[str]]:
    """Run ``fn`` on ``args`` with the global random states seeded with ``global_seed``;
    (Outcome, names of the global states the call changed)."""
    np.random.seed(global_seed)
    random.seed(global_seed)
    before = np.random.get_state(legacy=False), random.getstate()
    outcome = run(fn, args, {}, spec.args)
    touched = []
    if not _same_state(np.random.get_state(legacy=False), before[0]):
        touched.append("NumPy's np.random")
    if random.getstate() != before[1]:
        touched.append("Python's random module")
    return outcome, touched


def _diagnose(name: str, args: tuple[Any, ...], got: Outcome, spec: Contract) -> str | None:
    """The description of the catalogued mistake that behaves like ``got``, if any.

    Like :func:`helpers.check.diagnose`, but each mistake runs with the global random
    states seeded as for the student's first call, so that a mistake that draws from them
    (np.random.randn) is recognised as well as one that draws from the copy of ``rng``.
    """
    return first_mistake_like(
        name, lambda mistake: same_behaviour(_call(mistake, args, GLOBAL_SEEDS[0], spec)[0], got, spec))


def _same_state(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two np.random.get_state(legacy=False) dictionaries are equal."""
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, dict):
            if not _same_state(x, y):
                return False
        elif isinstance(x, np.ndarray):
            if not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


