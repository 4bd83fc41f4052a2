"""Kernels forked from a warm process, for grading workers.

A Jupyter kernel normally starts as a new Python process that imports ipykernel,
IPython, NumPy and Matplotlib before it runs the notebook's first cell: about a second
of CPU per notebook, more than grading the notebook takes. Here each grading worker
starts one *zygote*: a process that has imported all of that once and then does nothing
but fork. Each notebook gets a fresh fork, which runs ``ipykernel_launcher`` exactly as
``python -m ipykernel_launcher -f <connection file>`` would, in the notebook's directory
and with the environment nbgrader gives a kernel. The zygote never runs a student's
code, so no student's state reaches another's kernel; the random generators are
re-seeded in every fork.

Kernels talk over Unix sockets (ZeroMQ's ``ipc`` transport) at paths unique to the
worker, so workers never compete for TCP ports (nbgrader issue #174).

:class:`ForkedKernelManager` is an ``AsyncKernelManager`` that launches through the zygote
when the kernel command is this interpreter's ``-m ipykernel_launcher`` and otherwise
launches as usual.
"""
import itertools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time

from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager

#: What every lesson's first cell imports, and the kernel's own machinery.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
    "IPython", "IPython.display", "numpy", "matplotlib", "matplotlib.figure",
    "matplotlib.backends.backend_agg", "ipywidgets", "helpers.display",
)
#: Packages whose every module is preloaded too (the lessons' plots and widgets).
PRELOAD_PACKAGES = ("helpers.plots", "helpers.widgets")


# The worker's side -------------------------------------------------------------------

class Zygote:
    """The grading worker's handle on its zygote process."""

    def __init__(self, env=None):
        self._lock = threading.Lock()
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        env = dict(os.environ if env is None else env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "course.grading.kernels", str(requests_read), str(replies_write)],
            pass_fds=(requests_read, replies_write), env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, start_new_session=True)
        os.close(requests_read)
        os.close(replies_write)
        self._buffer = b""
        self.exits = {}  # pid -> exit code, as the zygote reaps its kernels
        self.broken = self.closed = False

    def spawn(self, cmd, cwd, env):
        """Fork a kernel running ``cmd`` (``python -m ipykernel_launcher ...``); its pid."""
        request = json.dumps({"argv": list(cmd[3:]), "cwd": str(cwd), "env": dict(env)}) + "\n"
        with self._lock:
            try:
                os.write(self._requests, request.encode())
                while True:
                    line = self._line(timeout=60)
                    if line is None:
                        raise OSError("the kernel zygote did not answer")
                    kind, *rest = line.split()
                    if kind == "pid":
                        return int(rest[0])
                    if kind == "error":
                        raise OSError(f"the kernel zygote could not fork: {' '.join(rest)}")
            except OSError:
                self.broken = True
                raise

    def exit_code(self, pid):
        """The exit code of a kernel the zygote has reaped, else None."""
        with self._lock:
            while not self.closed and pid not in self.exits and self._line(timeout=0) is not None:
                pass
        return self.exits.get(pid)

    def _line(self, timeout):
        """The next reply line other than an exit notice (notices are recorded)."""
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                kind, *rest = line.decode().split()
                if kind == "exit":
                    self.exits[int(rest[0])] = int(rest[1])
                    if timeout == 0:
                        return line.decode()
                    continue
                return line.decode()
            if not select.select([self._replies], [], [], timeout)[0]:
                return None
            chunk = os.read(self._replies, 65536)
            if not chunk:
                self.broken = True
                return None
            self._buffer += chunk

    def close(self):
        self.closed = self.broken = True
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=5)  # it kills its kernels when its requests end
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class ForkedProcess:
    """A ``Popen``-like view of a kernel that the zygote forked (not our child: watched
    through a pidfd, signalled by pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid, zygote):
        self.pid = pid
        self.zygote = zygote
        self.returncode = None
        try:
            self._pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # it died at once and was reaped already
            code = zygote.exit_code(pid)
            self.returncode = code if code is not None else -signal.SIGKILL
            self._pidfd = None

    def poll(self):
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            code = self.zygote.exit_code(self.pid)
            self.returncode = code if code is not None else -signal.SIGKILL
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.poll()

    def send_signal(self, signum):
        if self.returncode is None:
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def _spawn(cmd, cwd, env):
    pid = _zygote.spawn(cmd, cwd, env)
    try:
        return ForkedProcess(pid, _zygote)
    except OSError:
        os.kill(pid, signal.SIGKILL)
        raise


_zygote = None
_socket_dir = None
_counter = itertools.count(1)


def start_zygote(env=None):
    """Start this process's zygote (once); kernels launched by ForkedKernelManager use it."""
    global _zygote
    if _zygote is None or _zygote.broken or _zygote.process.poll() is not None:
        _zygote = Zygote(env)
    return _zygote


def stop_zygote():
    """Stop the zygote (its kernels end with it) and remove the kernels' socket folder."""
    global _zygote, _socket_dir
    _discard_spares()
    if _zygote is not None:
        _zygote.close()
        _zygote = None
    if _socket_dir is not None:
        import shutil
        shutil.rmtree(_socket_dir, ignore_errors=True)
        _socket_dir = None


def _socket_prefix():
    global _socket_dir
    if _socket_dir is None:
        _socket_dir = tempfile.mkdtemp(prefix="course-kernels-")
    return os.path.join(_socket_dir, f"k{next(_counter)}")


class QuickReadyClient(AsyncKernelClient):
    """jupyter_client's client, with a handshake that does not sleep.

    ``wait_for_ready`` is jupyter_client's (a kernel_info request answered, and a message
    seen on IOPub, so that no output can be missed), but it waits for IOPub in short
    rounds and drains it for 20 ms instead of 200 ms each: over Unix sockets the
    subscription takes a millisecond, and the two fixed 0.2 s waits were most of a
    kernel's start-up."""

    async def _quick_wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=0.5)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.05)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:  # what is left on IOPub of the handshake
            try:
                await self.iopub_channel.get_msg(timeout=0.02)
            except Empty:
                break

    wait_for_ready = _quick_wait_for_ready


#: Code run (silently: no output, no history, no execution count) in a spare kernel
#: when a notebook takes it over: it moves to the notebook's folder, as if started there.
MOVE_TO = """import os as _course_os, pathlib as _course_pathlib
try:
    _course_os.chdir({cwd!r})
    get_ipython().history_manager.dir_hist[:] = [_course_pathlib.Path.cwd()]
finally:
    del _course_os, _course_pathlib
"""
_spares = []  # kernels started ahead of the notebook that will take one


def _discard_spares():
    while _spares:
        spare = _spares.pop()
        process = getattr(spare.provisioner, "process", None)
        if process is not None:
            try:
                process.kill()
            except OSError:
                pass


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose Python kernels are forks of the worker's zygote and whose
    channels are Unix sockets.

    Each time it starts a kernel it also forks a spare one, in a neutral folder, for the
    next notebook: while this notebook runs, the spare initializes, so the next notebook
    finds a kernel ready and only moves it to its folder (``MOVE_TO``). A spare is only
    taken with exactly the command line and environment its notebook would get."""

    #: Whether to start the next notebook's kernel ahead (COURSE_KERNEL_PRESTART=0: no).
    prestart = os.environ.get("COURSE_KERNEL_PRESTART", "1") != "0"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = _socket_prefix()
        self.client_factory = QuickReadyClient
        self._is_spare = False
        self._launch = None  # (argv after the connection file, env) of its kernel

    async def _async_wait(self, pollinterval=0.1):
        if isinstance(getattr(self.provisioner, "process", None), ForkedProcess):
            pollinterval = 0.005  # a pidfd tells at once; no need to sleep 0.1 s per check
        await super()._async_wait(pollinterval)

    def _forkable(self, cmd):
        return (_zygote is not None and not _zygote.broken and hasattr(os, "pidfd_open") and len(cmd) >= 5
                and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
                and cmd[1:4] == ["-m", "ipykernel_launcher", "-f"])

    async def _async_start_kernel(self, **kw):
        self._start_arguments = list(kw.get("extra_arguments") or [])
        await super()._async_start_kernel(**kw)

    start_kernel = _async_start_kernel

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if not self._forkable(kernel_cmd):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        env = dict(kw.get("env") or os.environ)
        cwd = kw.get("cwd") or os.getcwd()
        self._launch = (kernel_cmd[5:], env)
        if self._is_spare or not await self._adopt_spare(cwd):
            try:
                process = _spawn(kernel_cmd, cwd, env)
            except OSError:  # no zygote, or no pidfd (Linux < 5.3): start kernels as usual
                if _zygote is not None:
                    _zygote.broken = True
                if self._is_spare:
                    raise
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            self._take_process(process, cwd)
            self._reconcile_connection_info(self.provisioner.connection_info)
        if self.prestart and not self._is_spare:
            await self._start_spare()

    def _take_process(self, process, cwd):
        provisioner = self.provisioner
        provisioner.process = process
        provisioner.pid = provisioner.pgid = process.pid  # the fork starts its own session
        provisioner.cwd = cwd

    async def _start_spare(self):
        _discard_spares()
        spare = ForkedKernelManager(kernel_name=self.kernel_name, parent=self.parent)
        spare._is_spare = True
        try:
            await spare.start_kernel(cwd=os.path.dirname(self.ip),
                                     extra_arguments=list(getattr(self, "_start_arguments", [])))
        except Exception:  # no spare: the next notebook forks its kernel itself
            return
        _spares.append(spare)

    async def _adopt_spare(self, cwd):
        """Take over the spare kernel if it matches, moved to ``cwd``; False if none does."""
        if not _spares:
            return False
        spare = _spares.pop()
        process = spare.provisioner.process if spare.provisioner else None
        if process is None or process.poll() is not None or spare._launch != self._launch \
                or not await spare._move_to(cwd):
            _spares.append(spare)
            _discard_spares()
            return False
        self.cleanup_connection_file()  # written for a kernel that will not be started
        self.connection_file = spare.connection_file
        self.transport, self.ip = spare.transport, spare.ip
        for name in ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port"):
            setattr(self, name, getattr(spare, name))
        self.session.key = spare.session.key
        self.session.signature_scheme = spare.session.signature_scheme
        self.provisioner.connection_info = self.get_connection_info()
        self._take_process(process, cwd)
        spare.provisioner.process = None
        return True

    async def _move_to(self, cwd):
        client = self.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(MOVE_TO.format(cwd=str(cwd)), silent=True, store_history=False,
                                    allow_stdin=False)
            reply = await client._async_recv_reply(msg_id, timeout=10)
            return reply["content"].get("status") == "ok"
        except Exception:
            return False
        finally:
            client.stop_channels()


# The zygote's side -------------------------------------------------------------------

def _preload():
    import importlib
    import pkgutil
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a module that cannot load here is simply loaded by the kernel
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


def _zygote_main(requests_fd, replies_fd):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # ipykernel reads JPY_PARENT_PID when it is imported; a fork's parent is this process.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    # read by debugpy when imported (it would print a warning about frozen modules)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # what ipykernel sets before a notebook can import Matplotlib, which reads it on import
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    before = dict(os.environ)
    _preload()
    # variables that importing set (debugpy's PYDEVD_USE_FRAME_EVAL): a kernel has them too
    added = {k: v for k, v in os.environ.items() if k not in before}
    children = set()
    requests = os.fdopen(requests_fd, "rb", buffering=0)
    buffer = b""

    def reply(text):
        try:
            os.write(replies_fd, (text + "\n").encode())
        except OSError:  # the worker has gone: its kernels go too (below)
            raise SystemExit(0) from None

    def reap():
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                return
            if pid == 0:
                return
            children.discard(pid)
            reply(f"exit {pid} {os.waitstatus_to_exitcode(status)}")

    try:
        while True:
            ready = select.select([requests], [], [], 0.2)[0]
            reap()
            if not ready:
                continue
            chunk = requests.read(65536)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                try:
                    pid = os.fork()
                except OSError as error:
                    reply(f"error {error}")
                    continue
                if pid == 0:
                    _kernel_main(request, (requests_fd, replies_fd), added)  # never returns
                children.add(pid)
                reply(f"pid {pid}")
    finally:
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass


def _kernel_main(request, inherited_fds, added_by_imports):
    """In the fork: become ``python -m ipykernel_launcher <argv>``; never returns."""
    code = 1
    try:
        for fd in inherited_fds:
            os.close(fd)
        os.setsid()
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.close(devnull)
        cwd = request["cwd"]
        os.chdir(cwd)
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())
        for key, value in added_by_imports.items():
            env.setdefault(key, value)
        os.environ.clear()
        os.environ.update(env)
        sys.path[0] = cwd  # as `python -m` puts the working directory first
        import random
        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        import runpy
        try:
            runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        import atexit
        atexit._run_exitfuncs()
    except BaseException:  # noqa: BLE001 (the fork must never return into the zygote)
        try:
            import traceback
            traceback.print_exc()
        except BaseException:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code)


if __name__ == "__main__":
    _zygote_main(int(sys.argv[1]), int(sys.argv[2]))
