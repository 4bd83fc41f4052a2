"""A student's answer cell in a process of its own.

The grader starts one sandbox per graded function and talks to it over a pipe. The
sandbox runs the answer cell's source, then calls the function on the inputs the test
sends, the way :func:`helpers.check.run` does (on copies, recording warnings and
modified inputs), and sends back the result in :mod:`course.grading.wire`'s strict
encoding. The grader only ever reads plain data from it.

Inside, an audit hook (which no Python code can remove) refuses imports and file reads of
the course's reference implementations and mistake catalogue, and starting programs;
memory and file sizes are capped; stdout and stderr go nowhere. Other graded functions
the answer may call (a contract's ``uses``) are proxies that ask the grader to run the
reference, and so are callables a test passes in (``numerical_gradient``'s ``f``). A
``numpy.random.Generator`` passed to a proxy crosses as its state and is set to the
state it was left in, so the student's random stream goes on as in the notebook.
"""
import contextlib
import multiprocessing
import os
import sys
import time
import types
from pathlib import Path

from . import wire

ROOT = Path(__file__).resolve().parents[2]
# What the student's code may not read while graded: the references, the solutions (the
# lessons, source/), the mistake catalogue (it holds correct alternatives), and other
# students' work. Course-directory entries are taken relative to the grader's directory.
FORBIDDEN_PATHS = (ROOT / "helpers" / "reference", ROOT / "tests", ROOT / "course" / "lessons",
                   ROOT / "source")
COURSE_DIRECTORY_ENTRIES = ("source", "submitted", "autograded", "feedback", "gradebook.db")
FORBIDDEN_MODULES = ("helpers.reference.", "course", "tests")
MEMORY_LIMIT = 3 * 2 ** 30  # bytes of address space for one sandbox
MAX_MESSAGE = 256 * 2 ** 20
STARTUP_ALLOWANCE = 30.0  # seconds to start a sandbox and run the answer cell, under load


class ReferenceUsed(Exception):
    """Raised in a sandbox when the student's code reaches for the reference."""


class SandboxFailure(Exception):
    """The sandbox could not answer: it timed out, died or broke the protocol."""


_context = None


def _get_context():
    """A forkserver whose server has NumPy and the harness preloaded, so that a sandbox
    starts in milliseconds and forks from a process without the grader's threads."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # helpers.calling imports only NumPy: nothing that could bring in a reference.
        _context.set_forkserver_preload(["numpy", "helpers.calling", "course.grading.wire",
                                         "course.grading.sandbox"])
    return _context


@contextlib.contextmanager
def _main_module_hidden():
    """multiprocessing prepares every forkserver child by running the parent's __main__
    again (as ``__mp_main__``). Under ``nbgrader autograde`` that is nbgrader's whole CLI,
    about 1.5 s per sandbox, and the sandbox needs nothing from it: while a sandbox
    starts, __main__ is a bare module with neither ``__file__`` nor ``__spec__``, which
    multiprocessing takes as "nothing to prepare"."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class Callback:
    """A callable from the test, replaced by a token before the inputs cross."""

    def __init__(self, number):
        self.number = number


class Sandbox:
    """The grader's end of one sandbox running ``function`` from ``source``."""

    def __init__(self, function, source, allowed=(), budget=20.0):
        """``allowed``: the reference functions the answer may use (earlier lessons' and
        its contract's ``uses``); they run in the grader, called through proxies."""
        self.function, self.source = function, source
        self.references = _references(allowed)
        self.budget = budget  # seconds of wall-clock time left for everything this sandbox does
        self.allowed = budget
        self.failure = None  # once set, every later call fails the same way
        self.process = self.conn = None
        self.definition_error = None
        self.starting = False

    # lifecycle -----------------------------------------------------------------
    def start(self):
        if self.process is not None or self.failure:
            return
        context = _get_context()
        parent, child = context.Pipe()
        forbidden = [str(p) for p in FORBIDDEN_PATHS]
        forbidden += [os.path.join(os.getcwd(), entry) for entry in COURSE_DIRECTORY_ENTRIES]
        self.process = context.Process(
            target=_main, args=(child, self.source, self.function, tuple(self.references),
                                tuple(forbidden)),
            daemon=True)
        with _main_module_hidden():
            self.process.start()
        child.close()
        self.conn = parent
        budget, self.budget = self.budget, STARTUP_ALLOWANCE
        self.starting = True
        try:
            reply = self._exchange(None)  # the answer cell runs: not charged to the tests
        finally:
            self.starting = False
            self.budget = budget if not self.failure else self.budget
        if reply and reply.get("error"):
            self.definition_error = reply["error"]

    def close(self):
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
            self.conn.close()
            self.process = None

    # calls ---------------------------------------------------------------------
    def run(self, args, kwargs, arg_names):
        """Run the student's function once; returns a decoded outcome dict or raises
        SandboxFailure with a message for the student."""
        self.start()
        if self.failure:
            raise SandboxFailure(self.failure)
        if self.definition_error:
            return {"error": {**self.definition_error, "when": "defining"}}
        callbacks = []
        message = ("run", _tokenize(args, callbacks), _tokenize(kwargs, callbacks), tuple(arg_names or ()),
                   _global_random_states())
        return self._exchange(message, callbacks)

    def _exchange(self, message, callbacks=()):
        deadline = time.monotonic() + self.budget
        try:
            if message is not None:
                self.conn.send(message)
            while True:
                remaining = deadline - time.monotonic()
                if (remaining <= 0 or not self.conn.poll(remaining)) and self.starting:
                    self._fail(f"could not be defined: its answer cell did not finish running "
                               f"within {STARTUP_ALLOWANCE:g} s")
                if remaining <= 0 or not self.conn.poll(remaining):
                    self._fail(f"did not finish within the {self.allowed:g} s its tests may take "
                               "together (an infinite loop, or far too much work?)")
                reply = wire.decode(self.conn.recv_bytes(MAX_MESSAGE))
                if not isinstance(reply, dict):
                    self._fail("the sandbox broke the grading protocol")
                if reply.get("kind") == "call":
                    self.budget = max(0.0, deadline - time.monotonic())
                    self.conn.send(self._serve(reply, callbacks))
                    deadline = time.monotonic() + self.budget
                    continue
                self.budget = max(0.0, deadline - time.monotonic())
                return reply
        except (EOFError, OSError):
            self.process.join(timeout=2)
            code = self.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            self._fail(f"could not be run: the process running it ended ({how}); "
                       "os._exit, a crash, or memory exhausted")
        except SandboxFailure:
            raise
        except Exception as error:  # a malformed message is the sandbox's fault
            self._fail(f"the sandbox broke the grading protocol ({type(error).__name__})")

    def _serve(self, request, callbacks):
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

    def _fail(self, why):
        self.failure = why
        self.close()
        raise SandboxFailure(why)


def _global_random_states():
    """NumPy's and Python's global random states here, for the sandbox to start the call
    from: a student's function that (wrongly) draws from them then behaves as it would in
    the notebook, where the check harness seeds them, and its mistake can be named."""
    import random

    import numpy as np
    return np.random.get_state(), random.getstate()


def _references(names):
    if not names:
        return {}
    from helpers import reference
    return {name: getattr(reference, name) for name in names}


def _tokenize(value, callbacks):
    """Replace callables in the inputs with Callback tokens (the sandbox calls back)."""
    if callable(value) and not isinstance(value, type):
        callbacks.append(value)
        return Callback(len(callbacks) - 1)
    if type(value) in (list, tuple):
        return type(value)(_tokenize(v, callbacks) for v in value)
    if type(value) is dict:
        return {k: _tokenize(v, callbacks) for k, v in value.items()}
    return value


# --- the sandbox's side ------------------------------------------------------------

def _main(conn, source, function, uses, forbidden):
    import io
    import linecache
    import random

    import numpy as np
    from helpers.calling import run

    # Nothing of the references may be in memory (an import of a module already loaded
    # raises no audit event): drop any that a preloaded module brought in.
    for name in [m for m in sys.modules if m.startswith(("helpers.reference", "helpers.check",
                                                         "tests", "course_mistakes"))]:
        del sys.modules[name]
    _isolate(forbidden, function)

    def remote(target):
        def call(*args, **kwargs):
            conn.send_bytes(wire.encode({"kind": "call", "target": target, "args": list(args),
                                         "kwargs": kwargs}))
            status, *rest = conn.recv()
            if status == "ok":
                value, states = rest
                # a Generator passed in was used over there: it goes on from where that left it
                for generator, state in zip(wire.generators_in([list(args), kwargs]), states):
                    generator.bit_generator.state = state
                return value
            name, text = rest
            raise (_builtin_exception(name) or ReferenceUsed)(text)
        call.__name__ = str(target)
        return call

    def untokenize(value):
        if isinstance(value, Callback):
            return remote(value.number)
        if type(value) in (list, tuple):
            return type(value)(untokenize(v) for v in value)
        if type(value) is dict:
            return {k: untokenize(v) for k, v in value.items()}
        return value

    filename = "<your answer cell>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "__main__", "np": np}
    proxies = {name: remote(name) for name in uses}
    namespace.update(proxies)
    sys.modules["helpers.reference"] = _reference_module(proxies, function)
    import helpers
    helpers.reference = sys.modules["helpers.reference"]
    sys.stdout = sys.stderr = io.StringIO()
    definition_error = None
    try:
        exec(compile(source, filename, "exec"), namespace)
        if not callable(namespace.get(function)):
            definition_error = {"type": "NameError", "message": f"your answer cell does not define "
                                f"a function called {function}", "where": ""}
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        definition_error = _error(error)
    _truncate(sys.stdout)
    conn.send_bytes(wire.encode({"kind": "ready", "error": definition_error}))
    while True:
        try:
            command, args, kwargs, arg_names, (numpy_state, python_state) = conn.recv()
        except EOFError:
            os._exit(0)
        np.random.set_state(numpy_state)
        random.setstate(python_state)
        outcome = run(namespace[function], untokenize(args), untokenize(kwargs),
                      arg_names or tuple(f"arg{i}" for i in range(len(args))))
        _truncate(sys.stdout)
        error = _error(outcome.error) if outcome.error is not None else None
        conn.send_bytes(wire.encode({
            "kind": "result", "value": outcome.value, "args": list(outcome.args), "error": error,
            "warnings": list(outcome.float_warnings), "mutated": list(outcome.mutated)}))


def _reference_module(proxies, function):
    """What ``helpers.reference`` is inside the sandbox: the allowed functions as proxies;
    any other name is refused with a message that says why."""
    import types

    class ReferenceModule(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            raise ReferenceUsed(
                f"helpers.reference.{name} is not available while your answer is graded: "
                f"write {function} yourself")

    module = ReferenceModule("helpers.reference")
    module.__path__ = []  # a package, so that importing a submodule reaches the audit hook
    module.__dict__.update(proxies)
    module.__all__ = sorted(proxies)
    return module


def _isolate(forbidden, function):
    """Limits and an audit hook, set before any student code runs."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 ** 20, 2 ** 20))
    except (ImportError, ValueError, OSError):
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    def hook(event, args):
        if event == "import" and isinstance(args[0], str) and any(
                args[0] == m or args[0].startswith(m if m.endswith(".") else m + ".")
                for m in FORBIDDEN_MODULES):
            raise ReferenceUsed(
                f"importing {args[0]} is not allowed while your answer is graded: the course's "
                f"reference implementations are not available; write {function} yourself")
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            try:
                path = os.path.realpath(os.fsdecode(args[0]))
            except (TypeError, ValueError):
                return
            if any(path == p or path.startswith(p + os.sep) for p in forbidden):
                raise ReferenceUsed(
                    "reading the course's reference implementations or tests is not allowed "
                    f"while your answer is graded: write {function} yourself")
        if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                     "os.fork", "os.forkpty"):
            raise PermissionError(f"{event} is not allowed while your answer is graded")

    sys.addaudithook(hook)

    class Refuse:
        """A finder for importlib.import_module, which raises no import audit event."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            hook("import", (name,))
            return None

    sys.meta_path.insert(0, Refuse)


def _error(error):
    """The student's exception as plain data; never raises (its __str__ may be hostile)."""
    import traceback
    where = ""
    try:
        tb = error.__traceback__
        frames = [f for f in traceback.extract_tb(tb, limit=50) if f.filename == "<your answer cell>"]
        if frames:
            where = f"line {frames[-1].lineno} of your answer cell: `{(frames[-1].line or '').strip()}`"
    except BaseException:
        pass
    try:
        text = str(error)[:2000]
    except BaseException:
        text = "(its message could not be shown)"
    return {"type": type(error).__name__, "message": text, "where": where}


def _truncate(buffer):
    buffer.seek(0)
    buffer.truncate()


def _builtin_exception(name):
    import builtins
    candidate = getattr(builtins, name, None)
    return candidate if isinstance(candidate, type) and issubclass(candidate, BaseException) else None


def exception_from(error):
    """An exception object for the grader that matches the student's: a builtin type by
    name where there is one (so diagnoses can compare types), else a class of that name."""
    kind = _builtin_exception(error["type"]) or type(str(error["type"]), (Exception,), {})
    if not issubclass(kind, Exception):  # SystemExit, KeyboardInterrupt, ...
        kind = type(str(error["type"]), (Exception,), {})
    exception = kind(error["message"])
    exception.student_where = error.get("where", "")
    if error.get("when") == "defining":
        exception.student_when = "defining"
    return exception
