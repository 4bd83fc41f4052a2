"""A student's answer cell in a process of its own, in the student sandbox.

The grader starts one answer process per graded function (forked by the sandbox's
zygote, :mod:`course.isolation.host`) and talks to it over a socket. The process runs the
answer cell's source, then calls the function on the inputs the test sends, the way
:func:`helpers.check.run` does (on copies, recording warnings and modified inputs), and
sends back the result in :mod:`course.isolation.wire`'s strict encoding
(:func:`course.isolation.inside.answer_main`). The grader only ever reads plain data from
it. Its budget is CPU time of its own process, so that a busy grading machine never fails
an honest answer; and one that sits idle (asleep, using no CPU) for as long as its budget
is stopped, so that a process that waits for ever or stalls mid-message is killed all the
same.

Other graded functions the answer may call (earlier lessons' and its contract's
``uses``) are proxies that ask the grader to run the reference, and so are callables a
test passes in (``numerical_gradient``'s ``f``). A ``numpy.random.Generator`` passed to a
proxy crosses as its state and is set to the state it was left in, so the student's
random stream goes on as in the notebook.
"""
import os
import pickle
import select
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

from helpers.proxy import mark

from . import host as hosts
from . import inside, wire
from .inside import Callback, _builtin_exception

sys.modules.setdefault("inside", inside)  # Callback pickles as inside.Callback
MAX_MESSAGE = 256 * 2 ** 20
STARTUP_ALLOWANCE = 30.0  # seconds of CPU to start an answer process and run its answer cell
# Budgets count the CPU time of the student's own process, so a busy grading machine never
# fails an honest answer. A process that waits for ever (sleep, a blocked read, a stalled
# message) uses no CPU: it is stopped when it has sat idle, neither running nor waiting to
# run, for as long as its budget. Neither measure depends on how busy the machine is.


class SandboxFailure(Exception):
    """The sandbox could not answer: it timed out, died or broke the protocol."""


class Sandbox:
    """The grader's end of one answer process running ``function`` from ``source``."""

    def __init__(self, function: str, source: str, allowed: Iterable[str] = (), budget: float = 20.0,
                 host: hosts.Host | None = None) -> None:
        """``allowed``: the reference functions the answer may use (earlier lessons' and
        its contract's ``uses``); they run in the grader, called through proxies.
        ``host``: the student's sandbox (by default, this process's for the function's
        lesson)."""
        self.function, self.source = function, source
        self.references = _references(allowed)
        self.host = host
        self.budget = budget  # seconds of CPU time its calls may still use, all together
        self.allowed = budget
        self.idle = budget  # seconds its process may still sit idle during calls
        self.host_pid: int | None = None  # the answer process's PID as the grader sees it
        self.failure: str | None = None  # once set, every later call fails the same way
        self.sock: socket.socket | None = None
        self.pid: int | None = None
        self.pidfd: int | None = None
        self.generation: int | None = None
        self.definition_error: dict[str, Any] | None = None

    # lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        """Start the answer process, unless it runs (another unit started since ends it:
        then it starts again, its answer cell run again)."""
        host = self.host
        if host is None or host.broken:  # a sandbox ended (by a student's own code?): a new one
            host = hosts.host_for(host.lesson if host else _lesson_of(self.function))
        if self.failure or (self.sock is not None and self.generation == host.generation):
            return
        self.close()
        ours, theirs = socket.socketpair()
        request = {"function": self.function, "source": self.source, "uses": sorted(self.references)}
        try:
            for attempt in (1, 2):
                try:
                    self.pid, self.pidfd = host.spawn("answer", request, theirs.fileno())
                    break
                except hosts.SandboxUnavailable as error:
                    if attempt == 2 or not host.broken:
                        self.failure = f"could not be run: {error}"
                        raise SandboxFailure(self.failure) from None
                    host = hosts.host_for(host.lesson)  # it had just ended: a new one
        finally:
            theirs.close()
        self.host, self.sock, self.generation = host, ours, host.generation
        assert self.pidfd is not None  # spawn returned it, or the loop raised
        self.host_pid = _host_pid(self.pidfd)
        saved, self.budget, self.idle = (self.budget, self.idle), STARTUP_ALLOWANCE, STARTUP_ALLOWANCE
        try:
            reply = self._exchange(None, starting=True)  # the answer cell runs: not charged
        finally:
            if not self.failure:
                self.budget, self.idle = saved
        self.definition_error = reply.get("error") if reply else None

    def close(self) -> None:
        if self.pidfd is not None:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except OSError:
                pass
            os.close(self.pidfd)
            self.pidfd = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    # calls ---------------------------------------------------------------------
    def run(self, args: Sequence[Any], kwargs: dict[str, Any], arg_names: Sequence[str] | None,
            count_lines: bool = False) -> dict[str, Any]:
        """Run the student's function once; returns a decoded outcome dict or raises
        SandboxFailure with a message for the student. ``count_lines``: also count the
        lines of the student's code that ran (helpers.calling.LineCounter)."""
        self.start()
        if self.failure:
            raise SandboxFailure(self.failure)
        if self.definition_error:
            return {"error": {**self.definition_error, "when": "defining"}}
        callbacks: list[Callable[..., Any]] = []
        message = ("run", _tokenize(args, callbacks), _tokenize(kwargs, callbacks), tuple(arg_names or ()),
                   _global_random_states(), bool(count_lines))
        return self._exchange(message, callbacks)

    def _exchange(self, message: tuple[Any, ...] | None, callbacks: Sequence[Callable[..., Any]] = (),
                  starting: bool = False) -> dict[str, Any]:
        """Send ``message`` (if any), serve the answer's calls of references, and return its
        reply; charges the answer process's CPU time to the budget and its idle time to
        the idle allowance, and fails the sandbox when either runs out."""
        limits = _Limits(self.host_pid, self.budget, self.idle)
        try:
            assert self.sock is not None  # start() made it, or set the failure run() raises
            if message is not None:
                _send(self.sock, pickle.dumps(message), limits)
            while True:
                reply = wire.decode(_receive(self.sock, limits, MAX_MESSAGE))
                if not isinstance(reply, dict):
                    self._fail("the sandbox broke the grading protocol")
                if reply.get("kind") == "call":
                    _send(self.sock, pickle.dumps(self._serve(reply, callbacks)), limits)
                    continue
                return reply
        except OutOfTime as ran_out:
            what = "could not be defined: its answer cell did not finish running" if starting \
                else "did not finish"
            if ran_out.idle is not None:
                self._fail(f"{what} within its time: it sat waiting for {ran_out.idle:.0f} s without "
                           "using the CPU (sleep, input(), a lock, or a stalled message?)")
            if starting:
                self._fail(f"{what} within {STARTUP_ALLOWANCE:g} s of CPU time")
            self._fail(f"did not finish within the {self.allowed:g} s of CPU time its tests may use "
                       "together (an infinite loop, or far too much work?)")
        except (EOFError, OSError):
            self._fail(f"could not be run: the process running it ended ({self._how_it_ended()}); "
                       "os._exit, a crash, or memory exhausted")
        except SandboxFailure:
            raise
        except Exception as error:  # a malformed message is the sandbox's fault
            self._fail(f"the sandbox broke the grading protocol ({type(error).__name__})")
        finally:
            self.budget, self.idle = limits.left()

    def _how_it_ended(self) -> str:
        code = None
        if self.pidfd is not None and select.select([self.pidfd], [], [], 2)[0]:
            assert self.host is not None and self.pid is not None  # start() set them with the pidfd
            for _ in range(40):  # the zygote's notice follows the exit within milliseconds
                code = self.host.exit_code(self.pid)
                if code is not None:
                    break
                time.sleep(0.05)
        return f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"

    def _serve(self, request: dict[str, Any], callbacks: Sequence[Callable[..., Any]]) -> tuple[Any, ...]:
        target, args, kwargs = request.get("target"), request.get("args", ()), request.get("kwargs", {})
        try:
            if isinstance(target, str) and target in self.references:
                fn = self.references[target]
            elif isinstance(target, int) and 0 <= target < len(callbacks):
                fn = callbacks[target]
            else:
                return ("error", "ReferenceUsed", f"{target!r} cannot be called from your code")
            if not isinstance(args, (list, tuple)) or not isinstance(kwargs, dict):
                return ("error", "TypeError", "bad arguments")
            value = fn(*args, **kwargs)
            states = [g.bit_generator.state for g in wire.generators_in([list(args), kwargs])]
            return ("ok", value, states)
        except Exception as error:
            return ("error", type(error).__name__, str(error))

    def _fail(self, why: str) -> NoReturn:
        self.failure = why
        self.close()
        raise SandboxFailure(why)


class OutOfTime(Exception):
    """An answer process used up its CPU budget, or sat idle for too long (``idle``)."""

    def __init__(self, idle: float | None = None) -> None:
        super().__init__()
        self.idle = idle


class _Limits:
    """What one exchange may still use: CPU time of the answer process, and idle time, in
    which the process neither ran nor waited to run (read from /proc while the grader
    waits for it). Idle time is counted only over whole polls in which nothing came from
    the process, it used no CPU and it was asleep at the end: a process that talks to the
    grader, or computes, is never idle, however slowly a busy machine runs it."""

    POLL = 0.25  # seconds of waiting for the socket between two looks at the process
    cpu_start: float | None  # the process's CPU seconds when the exchange began

    def __init__(self, pid: int | None, cpu_left: float, idle_left: float) -> None:
        self.pid, self.cpu_left, self.idle_left = pid, cpu_left, idle_left
        state, self.cpu_start = _usage(pid)
        self.idle, self.last = 0.0, (time.monotonic(), self.cpu_start)

    def wait(self) -> float:
        """Seconds to wait for the socket; raises OutOfTime when the CPU budget is spent."""
        state, cpu = _usage(self.pid)
        if cpu is not None and self.cpu_start is not None and cpu - self.cpu_start > self.cpu_left:
            raise OutOfTime()
        self.last = (time.monotonic(), cpu)
        return self.POLL

    def timed_out(self) -> None:
        """A whole poll passed with nothing from the process: was it idle meanwhile?"""
        state, cpu = _usage(self.pid)
        then, cpu_then = self.last
        if cpu == cpu_then and state not in ("R", None):
            self.idle += time.monotonic() - then
            if self.idle > self.idle_left:
                raise OutOfTime(idle=self.idle)

    def left(self) -> tuple[float, float]:
        state, cpu = _usage(self.pid)
        used = 0.0 if cpu is None or self.cpu_start is None else cpu - self.cpu_start
        return max(0.0, self.cpu_left - used), max(0.0, self.idle_left - self.idle)


_TICKS = os.sysconf("SC_CLK_TCK")


def _usage(pid: int | None) -> tuple[str, float] | tuple[None, None]:
    """(state, CPU seconds) of process ``pid``: its scheduler state ("R" running or
    waiting to run, "S" asleep, ...) and the user and system time of all its threads and
    of its children that ended; (None, None) when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except (OSError, TypeError):
        return None, None
    fields = text[text.rindex(b")") + 2:].split()  # after "pid (comm) ", which may hold spaces
    return fields[0].decode(), sum(int(f) for f in fields[11:15]) / _TICKS  # utime stime cutime cstime


def _host_pid(pidfd: int) -> int | None:
    """The PID, in the grader's namespace, of the process a pidfd refers to."""
    try:
        with open(f"/proc/self/fdinfo/{pidfd}") as info:
            for line in info:
                if line.startswith("Pid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


# The framing of multiprocessing.connection (what the answer process speaks): a 4-byte
# big-endian length, or -1 and an 8-byte length, then the bytes. Every read and write
# here is bounded by the exchange's limits.

def _send(sock: socket.socket, data: bytes, limits: _Limits) -> None:
    header = struct.pack("!i", len(data)) if len(data) <= 0x7fffffff else struct.pack("!iQ", -1, len(data))
    view = memoryview(header + data)
    while view:
        sock.settimeout(limits.wait())
        try:
            sent = sock.send(view)
        except socket.timeout:
            limits.timed_out()
            continue
        view = view[sent:]


def _receive(sock: socket.socket, limits: _Limits, limit: int) -> bytes:
    size, = struct.unpack("!i", _exactly(sock, 4, limits))
    if size == -1:
        size, = struct.unpack("!Q", _exactly(sock, 8, limits))
    if size < 0 or size > limit:
        raise ValueError(f"a message of {size} bytes")
    return _exactly(sock, size, limits)


def _exactly(sock: socket.socket, count: int, limits: _Limits) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left:
        sock.settimeout(limits.wait())
        try:
            chunk = sock.recv(min(left, 1 << 20))
        except socket.timeout:
            limits.timed_out()
            continue
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_lessons: dict[str | None, str] = {}  # graded function -> its lesson; None -> the first lesson


def _lesson_of(function: str) -> str:
    """The lesson whose answer cells define ``function`` (for a Sandbox made outside
    nbgrader, as the course's own checks do); the first lesson for any other name."""
    if not _lessons:
        from .. import lesson_files
        from ..bundle import graded_functions
        for lesson in lesson_files.all_lessons():
            for name in graded_functions(lesson):
                _lessons[name] = lesson.name
            _lessons.setdefault(None, lesson.name)
    return _lessons.get(function, _lessons[None])


def _global_random_states() -> tuple[Any, Any]:
    """NumPy's and Python's global random states here, for the sandbox to start the call
    from: a student's function that (wrongly) draws from them then behaves as it would in
    the notebook, where the check harness seeds them, and its mistake can be named."""
    import random

    import numpy as np
    return np.random.get_state(), random.getstate()


def _references(names: Iterable[str]) -> dict[str, Callable[..., Any]]:
    if not names:
        return {}
    from helpers import reference
    return {name: getattr(reference, name) for name in names}


def _tokenize(value: Any, callbacks: list[Callable[..., Any]]) -> Any:
    """Replace callables in the inputs with Callback tokens (the sandbox calls back)."""
    if callable(value) and not isinstance(value, type):
        callbacks.append(value)
        return Callback(len(callbacks) - 1)
    if type(value) in (list, tuple):
        return type(value)(_tokenize(v, callbacks) for v in value)
    if type(value) is dict:
        return {k: _tokenize(v, callbacks) for k, v in value.items()}
    return value


def exception_from(error: dict[str, Any]) -> BaseException:
    """An exception object for the grader that matches the student's: a builtin type by
    name where there is one (so diagnoses can compare types), else a class of that name."""
    kind = _builtin_exception(error["type"]) or type(str(error["type"]), (Exception,), {})
    if not issubclass(kind, Exception):  # SystemExit, KeyboardInterrupt, ...
        kind = type(str(error["type"]), (Exception,), {})
    return mark(kind(error["message"]), str(error.get("where", "")), error.get("when") == "defining")
