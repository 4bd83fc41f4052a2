"""Contracts of lesson 08's graded functions, and the two wrappers its tests need.

``batchnorm_forward`` returns ``(out, cache)``, and what the cache holds is the student's
choice, so no test compares it:

- the forward pass is checked through :func:`out_only`, a wrapper that returns only
  ``out``, under the contract ``batchnorm_forward_out`` (its reference is
  ``helpers.reference.batchnorm_forward_out``; its mistakes are ``batchnorm_forward``'s,
  keeping only ``out``);
- ``batchnorm_backward`` is checked on the cache of the student's OWN forward pass, from
  :func:`your_forward_and_cache`, against gradients worked out by hand or by the course's
  forward and backward passes together (``check_reference`` cannot be used: the reference
  backward cannot read a student's cache). When the course's forward pass is installed
  (while grading) and the student's is wrong on a test's input, the course's stands in, so
  that a forward mistake costs points in the forward's tests only. A student's copy of
  the course holds no reference of lesson 08 (it would give the answers away): there the
  student's forward pass is used as it is, and one that fails outright (an error, a
  changed input, no (out, cache) pair) stops the backward test with what to fix first.

Both run the student's function through :func:`helpers.check.run`, so they work the same
when it is the function itself and when it is the grader's proxy for it.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np

from . import Contract

if TYPE_CHECKING:  # helpers.check imports this package, so only for the checker
    from ..calling import Outcome

#: batchnorm_forward's signature: (x, gamma, beta, eps=...) -> (out, cache).
Forward = Callable[..., Any]

# The tolerances batchnorm_forward's out is held to (the defaults, as for every function).
_OUT = Contract(args=("x", "gamma", "beta"), returns=("out",))

CONTRACTS = {
    # Never checked as a whole (the cache is the student's); here for the lesson's metadata.
    "batchnorm_forward": Contract(args=("x", "gamma", "beta"), returns=("out", "cache")),
    "batchnorm_forward_out": _OUT,
    "batchnorm_backward": Contract(args=("dout", "cache"), returns=("dx", "dgamma", "dbeta")),
    # batchnorm_backward against central differences of the forward pass (h = 1e-5): their
    # truncation (~h^2) and round-off (~1e-16 / h) errors stay below 1e-8 on the tests'
    # well-scaled inputs (the largest over 200 random cases like the test's was 1.2e-8),
    # far below these tolerances; every catalogued mistake is off by ~0.1 or more.
    "batchnorm_backward_numerical": Contract(args=("dout", "cache"), returns=("dx", "dgamma", "dbeta"),
                                             rtol=1e-5, atol=1e-7),
    # Samples and features: x along both axes, the per-feature arrays along theirs.
    "batchnorm_inference": Contract(args=("x", "gamma", "beta", "running_mean", "running_var"),
                                    returns=("out",),
                                    batch_axes={"x": (0, 1), "gamma": (0,), "beta": (0,),
                                                "running_mean": (0,), "running_var": (0,)}),
    "update_running_stats": Contract(args=("running_mean", "running_var", "x"),
                                     returns=("running_mean", "running_var"),
                                     batch_axes={"running_mean": (0,), "running_var": (0,), "x": (0, 1)}),
}


def out_only(batchnorm_forward: Forward) -> Callable[..., np.ndarray]:
    """``batchnorm_forward`` as its tests see it: the same call, with the same errors,
    floating-point warnings and changes to its inputs, but returning only ``out``."""
    def batchnorm_forward_out(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, **kwargs: Any
                              ) -> np.ndarray:
        from ..check import run  # here, not at the top: helpers.check imports this package
        got = run(batchnorm_forward, (x, gamma, beta), kwargs, _OUT.args)
        for given, after in zip((x, gamma, beta), got.args):  # replay any change to an input
            if isinstance(given, np.ndarray) and isinstance(after, np.ndarray) \
                    and given.shape == after.shape and not np.array_equal(given, after, equal_nan=True):
                given[...] = after
        for message in got.float_warnings:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        if got.error is not None:
            raise got.error
        if not _is_pair(got.value):
            raise TypeError("batchnorm_forward should return a tuple (out, cache), but it returned "
                            f"{_describe(got.value)}")
        return got.value[0]
    return batchnorm_forward_out


def your_forward_and_cache(batchnorm_forward: Forward, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                           eps: float = 1e-5) -> tuple[Forward, Any]:
    """``(forward, cache)`` for testing batchnorm_backward on this input: the student's own
    ``batchnorm_forward`` and the cache it returns, when it works here. Otherwise, when
    the course's forward pass is installed, that forward and its cache ``(x_hat, gamma,
    inv_std)``, with a printed note, since a forward pass that is wrong cannot be trusted
    to build a right cache; without it, an ``AssertionError`` that says to fix the forward
    pass first."""
    from ..check import run
    course_forward = _course_forward()
    got = run(batchnorm_forward, (x, gamma, beta), {"eps": eps}, _OUT.args)
    if course_forward is None:  # a student's copy: the forward pass can only be run, not compared
        problem = _forward_problem(got, np.asarray(x, dtype=float))
        if problem is None:
            return batchnorm_forward, got.value[1]
        from ..check import CheckFailed
        raise CheckFailed(f"batchnorm_backward cannot be tested yet: {problem} This test uses the "
                             "cache your batchnorm_forward returns: fix batchnorm_forward first (its "
                             "tests above say what is wrong).")
    expected, course_cache = course_forward(x, gamma, beta, eps=eps)
    problem = _forward_problem(got, expected, compare=True)
    if problem is None:
        return batchnorm_forward, got.value[1]
    print(f"Note: {problem} This check uses the course's forward pass instead, and tries your "
          "batchnorm_backward on your own cache and on the course's (x_hat, gamma, inv_std), so "
          "that one mistake costs points once: fix batchnorm_forward first.")
    return course_forward, course_cache


def your_forward_and_caches(batchnorm_forward: Forward, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                            eps: float = 1e-5) -> tuple[Forward, list[Any]]:
    """``(forward, caches)`` for testing batchnorm_backward on this input, for
    :func:`check_backward`: the student's forward and ``[its cache]`` when it is right here
    (or in a student's copy, see :func:`your_forward_and_cache`); otherwise the course's
    forward and the caches to try: the student's own, when their forward returned one, then
    the course's ``(x_hat, gamma, inv_std)``. So a backward pass written for the student's
    own cache layout keeps its points after a mistake in the forward pass, when what its
    cache holds is right; one written for the course's layout keeps them too."""
    from ..check import run
    forward, cache = your_forward_and_cache(batchnorm_forward, x, gamma, beta, eps=eps)
    if forward is batchnorm_forward:
        return forward, [cache]
    got = run(batchnorm_forward, (x, gamma, beta), {"eps": eps}, _OUT.args)
    own = [got.value[1]] if got.error is None and not got.mutated and _is_pair(got.value) else []
    return forward, own + [cache]


def check_backward(name: str, batchnorm_backward: Callable[..., Any], dout: np.ndarray,
                   forward_and_caches: tuple[Forward, list[Any]], expected: Any) -> None:
    """Check ``batchnorm_backward(dout, cache)`` against ``expected`` on each cache of
    :func:`your_forward_and_caches` in turn: right on one of them is right."""
    __tracebackhide__ = True
    from ..check import check_example
    caches = forward_and_caches[1]
    failure: AssertionError | None = None
    for cache in caches:
        try:
            check_example(name, batchnorm_backward, (dout, cache), expected=expected)
            return
        except AssertionError as error:
            failure = error
    # caches is never empty (your_forward_and_caches gives at least one), so failure is set;
    # with none, `raise None` would be a TypeError
    if len(caches) > 1:
        raise type(failure)(  # type: ignore[misc]
            f"{failure}\nYour batchnorm_forward is not right on this input, so your batchnorm_backward "
            "was given two caches: the one your batchnorm_forward returned, and the course's (x_hat, "
            "gamma, inv_std). It was right on neither; the message above is for the course's cache."
        ) from None
    raise failure  # type: ignore[misc]


def _course_forward() -> Forward | None:
    """The course's batchnorm_forward where it is installed (the course's own copy, and so
    while grading), else None: a student's copy has no reference of this lesson."""
    from .. import reference
    return getattr(reference, "batchnorm_forward", None)


def _forward_problem(got: Outcome, expected: np.ndarray, compare: bool = False) -> str | None:
    """Why the student's forward pass cannot supply the cache on this input, or None.
    ``expected`` is the right ``out`` with ``compare``, else only an array of its shape."""
    shape = "x".join(map(str, expected.shape))
    if got.error is not None:
        return f"your batchnorm_forward raised {type(got.error).__name__} on this {shape} input."
    if got.mutated:
        return f"your batchnorm_forward modified its input {', '.join(got.mutated)}."
    if not _is_pair(got.value):
        return f"your batchnorm_forward returned {_describe(got.value)}, not a tuple (out, cache)."
    out = got.value[0]
    if type(out) is not np.ndarray or out.shape != expected.shape or out.dtype != expected.dtype:
        return f"your batchnorm_forward's out is not a float64 array of shape {expected.shape}."
    if not compare:
        return None
    with np.errstate(all="ignore"):
        close = (np.abs(out - expected) <= _OUT.atol + _OUT.rtol * np.abs(expected)) | (out == expected)
    if not close.all():
        return f"your batchnorm_forward's out is not right on this {shape} input."
    return None


def _is_pair(value: object) -> TypeGuard[tuple[Any, ...] | list[Any]]:
    return isinstance(value, (tuple, list)) and len(value) == 2


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    return "None" if value is None else f"a {type(value).__name__}"
