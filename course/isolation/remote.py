"""A graded function as the grader's test cells see it: a proxy for the student's answer
cell, which runs in a sandbox process (:mod:`.sandbox`). Only plain data crosses back
(:mod:`.wire`), as a :class:`helpers.calling.Outcome`.
"""
from collections.abc import Callable, Sequence
from typing import Any

from helpers.check import Outcome
from helpers.proxy import mark

from .sandbox import Sandbox, SandboxFailure, exception_from


class Remote:
    """The test's view of a graded function: a proxy for the student's answer cell."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.__name__ = sandbox.function

    def course_remote(self, args: Sequence[Any], kwargs: dict[str, Any], arg_names: Sequence[str] | None,
                      count_lines: bool = False) -> Outcome:
        try:
            reply = self._sandbox.run(args, kwargs, arg_names, count_lines)
        except SandboxFailure as failure:
            kind = type("TimeoutError" if "did not finish" in str(failure) else "ProcessDied",
                        (Exception,), {})
            error = mark(kind(f"your {self.__name__} {failure}"))
            return Outcome(error=error, args=tuple(args))
        raised = reply.get("error")
        return Outcome(
            value=reply.get("value"),
            error=exception_from(raised) if raised else None,
            float_warnings=tuple(str(w) for w in reply.get("warnings") or ()),
            mutated=tuple(str(m) for m in reply.get("mutated") or ()),
            args=tuple(reply.get("args") or args),
            lines=reply["lines"] if type(reply.get("lines")) is int else None,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outcome = self.course_remote(args, kwargs, None)
        if outcome.error is not None:
            raise outcome.error
        return outcome.value


class LazyRemote(Remote):
    """A :class:`Remote` whose sandbox is made on its first call."""

    def __init__(self, function: str, sandbox: Callable[[str], Sandbox]) -> None:
        self._function, self._factory = function, sandbox
        self.__name__ = function

    @property
    def _sandbox(self) -> Sandbox:  # type: ignore[override]  # read-only: made on first use
        return self._factory(self._function)
