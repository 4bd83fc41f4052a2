"""What runs inside a student sandbox: the zygote and the processes it forks.

``python inside.py FD`` is started by :mod:`course.isolation.host` inside bubblewrap, where
it sees the Python environment (read-only), a student-safe ``helpers`` (``/course``),
this file and ``wire.py`` (``/sandbox``), and empty tmpfs folders; never the course
directory. It imports the kernel's machinery, NumPy, Matplotlib and the lesson's plots
once, then forks on request (over the control socket FD, one datagram per message):

- ``kernel``: a Jupyter kernel, exactly ``python -m ipykernel_launcher -f FILE``, in
  ``/tmp/work/<lesson>`` holding a copy of the student's notebook folder;
- ``answer``: one graded function's answer cell, which then runs the function on the
  inputs the grader sends over its own socket (:func:`answer_main`);
- ``reset``: kill every other process in the sandbox and empty the writable folders,
  so nothing of one unit of student code is there when the next one starts.

Each fork is answered with ``pid`` and a pidfd (which the grader polls and signals);
``exit PID CODE`` tells when one ends. This file imports nothing of the course: it is
the only code of the grader's that runs where a student's code runs.
"""
import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import types
from collections.abc import Callable, Iterable
from typing import IO, Any

SANDBOX_ENV: dict[str, str] = {}
WRITABLE = ("/tmp", "/dev/shm")  # the sandbox's only writable folders (tmpfs)
WORK = "/tmp/work"
#: Processes (threads count) one sandbox may have at once: a kernel uses about 10.
MAX_PROCESSES = 256
KERNEL_MEMORY = 4 * 2 ** 30  # bytes of address space for a kernel
ANSWER_MEMORY = 3 * 2 ** 30  # and for one answer's process
MAX_FILE = 64 * 2 ** 20  # bytes in one file a student's code writes
PR_SET_DUMPABLE = 4

#: What every lesson's first cell imports, and the kernel's own machinery.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
    "IPython", "IPython.display", "numpy", "matplotlib", "matplotlib.figure",
    "matplotlib.backends.backend_agg", "ipywidgets", "helpers.display", "helpers.calling", "wire",
)
#: Packages whose every module is preloaded too (the lessons' plots and widgets).
PRELOAD_PACKAGES = ("helpers.plots", "helpers.widgets")


def _limit(resource_name: str, value: int) -> None:
    import resource
    kind = getattr(resource, resource_name)
    soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value))


def _not_dumpable() -> None:
    """No other process of this uid may ptrace this one or read its memory: a student's
    process cannot take over the zygote (forks inherit this; an exec resets it)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _preload() -> None:
    import importlib
    import pkgutil
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a module the view lacks is simply not preloaded
            pass
    for package in PRELOAD_PACKAGES:
        try:
            module = importlib.import_module(package)
        except Exception:
            continue
        for info in pkgutil.iter_modules(module.__path__, package + "."):
            try:
                importlib.import_module(info.name)
            except Exception:
                pass


# --- the zygote ------------------------------------------------------------------------

def main(control_fd: int, sandboxed: bool = True) -> None:
    """The zygote's loop. Unsandboxed (``course grade --no-sandbox``), a reset only kills
    the zygote's own children: the whole machine is in view, not one sandbox."""
    global WORK
    # The sandbox's own process count (one uid per sandbox, or its own user namespace):
    # a fork bomb stops here, not in another student's sandbox.
    _limit("RLIMIT_NPROC", MAX_PROCESSES)
    _not_dumpable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global SANDBOX_ENV
    SANDBOX_ENV = dict(os.environ)  # what bubblewrap set: a kernel starts from it
    os.environ["JPY_PARENT_PID"] = str(os.getpid())  # ipykernel reads it on import
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    _matplotlib_cache()
    before = dict(os.environ)
    _preload()
    added = {k: v for k, v in os.environ.items() if k not in before}  # set by imports
    control = socket.socket(fileno=control_fd)
    children: set[int] = set()  # the forks not yet reaped
    if not sandboxed:
        import tempfile
        WORK = tempfile.mkdtemp(prefix="course-unsandboxed-")

    def send(text: str, fds: Iterable[int] = ()) -> None:
        try:
            socket.send_fds(control, [text.encode()], list(fds)) if fds else control.send(text.encode())
        except OSError:  # the grader has gone: so does the sandbox
            os._exit(0)

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                return
            if pid == 0:
                return
            if pid in children:
                children.discard(pid)
                send(f"exit {pid} {os.waitstatus_to_exitcode(status)}")

    # A child's end wakes the loop at once (its exit is reported, and so seen, without delay).
    wakeup, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    send("ready")
    import select
    watched: list[socket.socket | int] = [control, wakeup]
    while True:
        ready = select.select(watched, [], [], 1.0)[0]
        if wakeup in ready:
            os.read(wakeup, 4096)
        reap()
        if control not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 20, 4)
        except OSError:
            os._exit(0)
        if not data:
            os._exit(0)
        request = json.loads(data)
        if request["op"] == "reset":
            for fd in fds:
                os.close(fd)
            if sandboxed:
                _kill_others()
                reap()
                _empty(WRITABLE)
                _remove_ipc()
            else:
                _kill_children(children)
                reap()
            send("reset")
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.close(wakeup)
            os.close(wakeup_write)
            code = 1
            try:
                if request["op"] == "kernel":
                    code = kernel_main(request, fds[0] if fds else None, added)
                else:
                    code = answer_main(fds[0], request)
            except BaseException:  # noqa: BLE001 (a fork must never return into the zygote)
                if os.environ.get("COURSE_SANDBOX_DEBUG"):
                    import traceback
                    with open(os.path.join(WORK, "..", "debug.log"), "a") as log:
                        traceback.print_exc(file=log)
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        children.add(pid)
        pidfd = os.pidfd_open(pid)
        send(f"pid {pid}", [pidfd])
        os.close(pidfd)
        reap()


def _kill_others() -> None:
    """SIGKILL every process of the sandbox but this one and its init, until none is
    left (a process that forks while being killed is caught on the next round)."""
    me = os.getpid()
    for _ in range(100):
        others = [pid for pid in _pids() if pid not in (me, 1)]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in others:  # our own children: reaped here, the rest by the sandbox's init
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            except OSError:
                pass


def _kill_children(children: set[int]) -> None:
    for pid in list(children):
        for kill in (os.killpg, os.kill):  # a kernel leads its own session
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _pids() -> list[int]:
    """Live (not zombie) processes of this PID namespace."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    state = stat.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state not in ("Z", "X"):
                found.append(int(name))
    return found


def _empty(folders: Iterable[str]) -> None:
    """Remove everything in ``folders`` but mount points (the Python environment or the
    kernels' sockets bound below /tmp) and the folders that lead to them."""
    import shutil
    with open("/proc/self/mounts") as table:
        mounts = {line.split()[1].encode().decode("unicode_escape") for line in table}
    for folder in folders:
        # what a student's code may have changed (a user's sandbox owns these folders)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o1777 if folder in WRITABLE else 0o755)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = entry.path
            if path in mounts:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if any(m.startswith(path + "/") for m in mounts):
                        _empty([path])
                    else:
                        shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass
    _matplotlib_cache()


def _matplotlib_cache() -> None:
    """Matplotlib's configuration folder, with the grader's font list beside this file
    copied in (building it scans every font on the machine: about a second)."""
    import glob
    import shutil
    folder = os.environ.get("MPLCONFIGDIR", "/tmp/matplotlib")
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fontlist-*.json")):
        shutil.copy(path, folder)


def _remove_ipc() -> None:
    """System V shared memory, semaphores and message queues left by a student."""
    libc = ctypes.CDLL(None, use_errno=True)
    IPC_RMID = 0
    for kind, remove in (("shm", libc.shmctl), ("sem", libc.semctl), ("msg", libc.msgctl)):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            try:
                ident = int(row.split()[1])
                remove(ident, 0, IPC_RMID, None) if kind == "sem" else remove(ident, IPC_RMID, None)
            except (ValueError, IndexError):
                pass


# --- a kernel --------------------------------------------------------------------------

def kernel_main(request: dict[str, Any], folder_fd: int | None, added_by_imports: dict[str, str]) -> int:
    """In the fork: become ``python -m ipykernel_launcher -f FILE <argv>``."""
    _limit("RLIMIT_AS", KERNEL_MEMORY)
    _limit("RLIMIT_FSIZE", MAX_FILE)
    os.setsid()
    for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    cwd = os.path.join(WORK, os.path.basename(request["folder"]) or "notebook")
    os.makedirs(cwd, exist_ok=True)
    if folder_fd is not None:
        _unpack(folder_fd, cwd)
    connection = os.path.join(WORK, f"kernel-{os.getpid()}.json")
    with open(connection, "w") as out:
        out.write(request["connection"])
    os.chdir(cwd)
    env = {**SANDBOX_ENV, **request["env"]}
    env["JPY_PARENT_PID"] = str(os.getppid())
    for key, value in added_by_imports.items():
        env.setdefault(key, value)
    os.environ.clear()
    os.environ.update(env)
    sys.path[0] = ""  # as `python -m` puts the working directory first
    import random
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    sys.argv = ["ipykernel_launcher", "-f", connection, *request["argv"]]
    import runpy
    try:
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    import atexit
    atexit._run_exitfuncs()
    return code


def _unpack(fd: int, folder: str) -> None:
    """The student's notebook folder, sent by the grader as a tar archive."""
    import tarfile
    with os.fdopen(fd, "rb") as raw, tarfile.open(fileobj=raw, mode="r:") as archive:
        archive.extractall(folder, filter="data")


# --- an answer -------------------------------------------------------------------------

FORBIDDEN_MODULES = ("helpers.reference.", "course", "tests")


class ReferenceUsed(Exception):
    """Raised when the student's code reaches for the course's reference."""


class Callback:
    """A callable from the test, replaced by a token before the inputs cross (the grader
    pickles it as ``inside.Callback``, so this is the one class both sides share)."""

    __module__ = "inside"

    def __init__(self, number: int) -> None:
        self.number = number


def answer_main(fd: int, request: dict[str, Any]) -> int:
    """Run one answer cell, then the function on each input the grader sends."""
    import io
    import linecache
    import random
    from multiprocessing.connection import Connection

    import numpy as np
    import wire
    from helpers.calling import run

    _limit("RLIMIT_AS", ANSWER_MEMORY)
    _limit("RLIMIT_FSIZE", 2 ** 20)
    function, source, uses = request["function"], request["source"], request["uses"]
    conn = Connection(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(devnull, std)
    for name in [m for m in sys.modules if m.startswith(("helpers.reference", "helpers.check"))]:
        del sys.modules[name]
    _guard(function)

    def remote(target: str | int) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
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

    def untokenize(value: Any) -> Any:
        if isinstance(value, Callback):
            return remote(value.number)
        if type(value) in (list, tuple):
            return type(value)(untokenize(v) for v in value)
        if type(value) is dict:
            return {k: untokenize(v) for k, v in value.items()}
        return value

    filename = "<your answer cell>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__", "np": np}
    proxies = {name: remote(name) for name in uses}
    namespace.update(proxies)
    sys.modules["helpers.reference"] = _reference_module(proxies, function)
    import helpers
    # helpers/__init__.py does not import reference (that would load every reference module)
    helpers.reference = sys.modules["helpers.reference"]  # type: ignore[attr-defined]
    sys.stdout = sys.stderr = io.StringIO()
    definition_error: dict[str, str] | None = None
    try:
        exec(compile(source, filename, "exec"), namespace)
        if not callable(namespace.get(function)):
            definition_error = {"type": "NameError", "message": f"your answer cell does not define "
                                f"a function called {function}", "where": ""}
    except BaseException as failure:  # SystemExit and KeyboardInterrupt included
        definition_error = _error(failure)
    _truncate(sys.stdout)
    conn.send_bytes(wire.encode({"kind": "ready", "error": definition_error}))
    while True:
        try:
            command, args, kwargs, arg_names, (numpy_state, python_state), count_lines = conn.recv()
        except EOFError:
            return 0
        np.random.set_state(numpy_state)
        random.setstate(python_state)
        outcome = run(namespace[function], untokenize(args), untokenize(kwargs),
                      arg_names or tuple(f"arg{i}" for i in range(len(args))), count_lines)
        _truncate(sys.stdout)
        error = _error(outcome.error) if outcome.error is not None else None
        conn.send_bytes(wire.encode({
            "kind": "result", "value": outcome.value, "args": list(outcome.args), "error": error,
            "warnings": list(outcome.float_warnings), "mutated": list(outcome.mutated),
            "lines": outcome.lines}))


def _reference_module(proxies: dict[str, Callable[..., Any]], function: str) -> types.ModuleType:
    """What ``helpers.reference`` is for an answer: the allowed functions as proxies; any
    other name is refused with a message that says why."""
    class ReferenceModule(types.ModuleType):
        __all__: list[str]

        def __getattr__(self, name: str) -> Any:
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


def _guard(function: str) -> None:
    """Messages for a student who reaches for the reference or starts a program. Not the
    boundary (the sandbox is: nothing secret is in it, and what a process starts dies
    with the unit), only a clear word in the common cases."""
    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "import" and isinstance(args[0], str) and any(
                args[0] == m or args[0].startswith(m if m.endswith(".") else m + ".")
                for m in FORBIDDEN_MODULES):
            raise ReferenceUsed(
                f"importing {args[0]} is not allowed while your answer is graded: the course's "
                f"reference implementations are not available; write {function} yourself")
        if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                     "os.fork", "os.forkpty"):
            raise PermissionError(f"{event} is not allowed while your answer is graded")

    sys.addaudithook(hook)

    class Refuse:
        """A finder for importlib.import_module, which raises no import audit event."""

        @staticmethod
        def find_spec(name: str, path: object = None, target: object = None) -> None:
            hook("import", (name,))
            return None

    sys.meta_path.insert(0, Refuse)


def _error(error: BaseException) -> dict[str, str]:
    """The student's exception as plain data; never raises (its __str__ may be hostile)."""
    import traceback
    where = ""
    try:
        frames = [f for f in traceback.extract_tb(error.__traceback__, limit=50)
                  if f.filename == "<your answer cell>"]
        if frames:
            where = f"line {frames[-1].lineno} of your answer cell: `{(frames[-1].line or '').strip()}`"
    except BaseException:
        pass
    try:
        text = str(error)[:2000]
    except BaseException:
        text = "(its message could not be shown)"
    return {"type": type(error).__name__, "message": text, "where": where}


def _truncate(buffer: IO[str]) -> None:
    buffer.seek(0)
    buffer.truncate()


def _builtin_exception(name: str) -> type[BaseException] | None:
    import builtins
    candidate = getattr(builtins, name, None)
    return candidate if isinstance(candidate, type) and issubclass(candidate, BaseException) else None


if __name__ == "__main__":
    sys.modules["inside"] = sys.modules[__name__]  # what the grader's pickles name
    main(int(sys.argv[1]), sandboxed="--unsandboxed" not in sys.argv)
