"""What the check harness knows of the grader, declared in one place.

While a notebook is graded (``course/isolation``), a graded function in a test cell is not
the student's function but a proxy for it, whose answer runs in a sandbox process. Three
things cross between the proxy and the harness (:mod:`helpers.check`,
:mod:`helpers.calling`), and this module is their whole protocol:

- a proxy makes the harness's checked call itself, in the sandbox (:class:`Proxy`);
- an exception raised by the student's code comes back as an exception of the same type
  (so that diagnoses can compare types) carrying where it happened (:func:`mark`,
  :func:`reported`);
- a value the grader will not compare (an ndarray subclass, an object with its own
  ``__eq__``) comes back as a stand-in that says what it was (:class:`Described`).

In a student's own kernel there is no proxy, and none of this is used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .calling import Outcome


class Proxy(Protocol):
    """A graded function's stand-in while grading: ``course_remote`` runs the answer on
    the inputs in its sandbox and returns what :func:`helpers.calling.run` would."""

    __name__: str

    def course_remote(self, args: tuple, kwargs: dict, arg_names: tuple,
                      count_lines: bool = False) -> Outcome: ...


def proxy(fn: Any) -> Proxy | None:
    """``fn`` if it is a grading proxy (its class defines ``course_remote``), else None."""
    return fn if callable(getattr(type(fn), "course_remote", None)) else None


@runtime_checkable
class Described(Protocol):
    """A value the grader withheld, which describes itself ("a numpy.matrix")."""

    def course_kind(self) -> str: ...


@dataclass(frozen=True)
class Report:
    """Where the sandbox saw the student's exception: ``where`` names the line of their
    code ("" when unknown); ``defining`` is true when the answer cell itself failed to
    run, before the function could be called."""

    where: str
    defining: bool


def mark(error: BaseException, where: str = "", defining: bool = False) -> BaseException:
    """Attach the sandbox's report to ``error`` (an instance of the type the student's code
    raised: a new subclass would not compare equal to a mistake's own exception type)."""
    error.course_report = Report(where, defining)  # type: ignore[attr-defined]
    return error


def reported(error: BaseException) -> Report | None:
    """The sandbox's report on ``error``; None for an exception raised in this process."""
    report = getattr(error, "course_report", None)
    return report if isinstance(report, Report) else None
