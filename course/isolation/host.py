"""The student sandbox: bubblewrap around a zygote that forks kernels and answers.

Every process that runs a student's code, the notebook's kernel and each graded
function's answer, is forked by a zygote (:mod:`course.isolation.inside`) that lives in a
bubblewrap sandbox:

- its own PID, network (no interface but an unconnected loopback), IPC and UTS
  namespaces; everything in it is killed when the sandbox ends or its grader dies
  (``--die-with-parent``: the sandbox's init goes, and with it the whole namespace);
- an unprivileged uid: as root, a uid no account has, one per sandbox (``setpriv``, no
  capabilities, no new privileges); as a user, uid 65534 in a user namespace of its own;
- a filesystem holding only the Python environment and ``/usr`` (read-only), the
  student-safe ``helpers`` of the lesson (what its student bundle holds: no solution of
  this lesson or a later one, no mistake catalogue), the zygote's own two files, the
  kernels' socket folder, and empty size-capped tmpfs folders. No course directory, no
  other student, no gradebook;
- limits set by the OS: process count, address space and file size (``inside.py``).

One unit of student code runs at a time: before a kernel or an answer starts, the
zygote kills every other process in the sandbox and empties its writable folders
(:meth:`Host.spawn`). A grading worker keeps its sandbox warm from student to student
(one cold start per worker, not per notebook); plain ``nbgrader autograde`` starts a new
one for each notebook (:func:`release`).
"""
import atexit
import contextlib
import itertools
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: As root, sandbox k of grading process p runs as uid BASE + 8 p + k (mod 8): uids that
#: no account has, distinct for every live sandbox, so no sandbox can signal, ptrace or
#: share a process count with another.
SANDBOX_UID_BASE = 1_000_000_000
USER_UID = 65534  # the uid inside the user namespace when grading as a user
TMP_SIZE = 512 * 2 ** 20  # bytes of /tmp (the student's folder, the kernel's files)
SHM_SIZE = 64 * 2 ** 20
START_TIMEOUT = 120.0  # seconds for a new sandbox to import the kernel, NumPy, Matplotlib
REPLY_TIMEOUT = 30.0  # seconds for the zygote to fork or reset
MAX_FOLDER = 50 * 2 ** 20  # bytes of notebooks copied into a kernel's sandbox
#: The environment inside; nothing else of the grader's (a database password, say) enters.
PASSED_ENV = ("LANG", "LC_ALL", "TZ", "PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
              "MKL_NUM_THREADS", "NBGRADER_EXECUTION", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
NO_SANDBOX_VARIABLE = "COURSE_NO_SANDBOX"
KERNEL_SOCKETS = "/kernels"  # where the sandbox sees the kernels' socket folder


class SandboxUnavailable(Exception):
    """Student code cannot be isolated here (no bubblewrap, or it failed to start)."""


def sandboxing() -> bool:
    """Whether student code is to run in bubblewrap (unless ``--no-sandbox`` said not)."""
    return os.environ.get(NO_SANDBOX_VARIABLE, "") in ("", "0")


def require_bubblewrap() -> None:
    """Raise SandboxUnavailable with the one line an instructor needs, if bwrap is missing."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed, so student code cannot be isolated: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap) or grade with --no-sandbox (not isolated)")


class Host:
    """The grader's handle on one sandbox for one lesson."""

    _counter = itertools.count()

    def __init__(self, lesson: str, sandboxed: bool = True) -> None:
        self.lesson = lesson
        self.sandboxed = sandboxed
        self.folder = Path(tempfile.mkdtemp(prefix="course-sandbox-"))
        self.sockets = self.folder / "sockets"  # the kernels' ZeroMQ sockets, KERNEL_SOCKETS inside
        self.sockets.mkdir()
        self.uid: int | None = None
        if sandboxed:
            require_bubblewrap()
            _refuse_a_visible_course()
            if os.geteuid() == 0:
                self.uid = SANDBOX_UID_BASE + 8 * os.getpid() + next(self._counter) % 8
        self.lock_sockets()
        self.exits: dict[int, int] = {}  # pid in the sandbox -> exit code, as the zygote reports
        self.broken = False
        self.generation = 0  # how many units have been started: a new one ends the others
        self.log = tempfile.TemporaryFile()
        view = _student_view(lesson, self.folder / "view")
        runtime = self.folder / "runtime"
        runtime.mkdir()
        for name in ("inside.py", "wire.py"):
            shutil.copy(HERE / name, runtime / name)
        for fontlist in _font_lists():
            shutil.copy(fontlist, runtime / fontlist.name)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        if sandboxed:
            command = bwrap_command(view, runtime, self.sockets, self.uid) + [
                sys.executable, "/sandbox/inside.py", str(theirs.fileno())]
            env = {"PATH": "/usr/bin:/bin"}
        else:
            command = [sys.executable, str(runtime / "inside.py"), str(theirs.fileno()), "--unsandboxed"]
            env = {**_inside_env(), "PYTHONPATH": f"{view}{os.pathsep}{runtime}",
                   "HOME": str(self.folder), "MPLCONFIGDIR": str(self.folder / "matplotlib")}
        try:
            self.process = subprocess.Popen(
                command, pass_fds=[theirs.fileno()], env=env, cwd=self.folder,
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, start_new_session=True)
        finally:
            theirs.close()
        reply, _ = self._receive(START_TIMEOUT, "start")
        if reply != "ready":
            self.close()
            raise SandboxUnavailable(f"the sandbox did not start: {self.last_words()}")

    # requests ------------------------------------------------------------------------
    def spawn(self, op: str, request: dict[str, Any], fd: int | None = None) -> tuple[int, int]:
        """Kill whatever student code runs in the sandbox, then fork a ``kernel`` or an
        ``answer``; returns its (pid in the sandbox, pidfd)."""
        self.reset()
        if op == "kernel":
            self.unlock_sockets()  # until it has made its sockets (GradingExecute locks it then)
        self.generation += 1
        payload = json.dumps({"op": op, **request}).encode()
        reply, fds = self._exchange(payload, [fd] if fd is not None else [])
        kind, _, pid = reply.partition(" ")
        if kind != "pid" or len(fds) != 1:
            self.broken = True
            raise SandboxUnavailable(f"the sandbox could not start a process: {reply}")
        return int(pid), fds[0]

    def reset(self) -> None:
        """End every unit of student code in the sandbox and empty its writable folders."""
        reply, _ = self._exchange(b'{"op": "reset"}', [])
        if reply != "reset":
            self.broken = True
            raise SandboxUnavailable(f"the sandbox could not be reset: {reply}")
        for entry in os.scandir(self.sockets):  # what the last kernel, or its student, left
            with contextlib.suppress(OSError):
                shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)
        self.lock_sockets()

    def unlock_sockets(self) -> None:
        """Let the next kernel create its sockets in their folder (as root: a folder the
        sandbox's uid may write in but not own, so it cannot keep it open)."""
        os.chmod(self.sockets, 0o1777 if self.uid is not None else 0o700)

    def lock_sockets(self) -> None:
        """Nothing may be written in the socket folder, which lies on the grader's disk,
        but while a kernel makes its sockets (as root; a user's sandbox owns the folder,
        and could open it again)."""
        os.chmod(self.sockets, 0o555 if self.uid is not None else 0o700)

    def exit_code(self, pid: int) -> int | None:
        """The exit code of a unit the zygote has reaped, else None."""
        if not self.broken:
            with contextlib.suppress(SandboxUnavailable):
                self._receive(0, "poll")
        return self.exits.get(pid)

    def _exchange(self, payload: bytes, fds: list[int]) -> tuple[str, list[int]]:
        if self.broken:
            raise SandboxUnavailable("the sandbox has stopped")
        try:
            socket.send_fds(self.control, [payload], fds) if fds else self.control.send(payload)
        except OSError as error:
            self.broken = True
            raise SandboxUnavailable(f"the sandbox has stopped ({error})") from None
        reply: str | None = None
        while reply is None:
            reply, received = self._receive(REPLY_TIMEOUT, "reply")
        return reply, received

    def _receive(self, timeout: float, why: str) -> tuple[str | None, list[int]]:
        """The next message other than an exit notice (recorded), or (None, []) when
        ``timeout`` is 0 and there is none. A zygote that stays silent past the timeout
        (a student's code stopped it?) breaks the sandbox."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if not select.select([self.control], [], [], max(0.0, remaining))[0]:
                if timeout == 0:
                    return None, []
                self.broken = True
                raise SandboxUnavailable(f"the sandbox did not answer ({why}) within {timeout:g} s")
            try:
                data, fds, _, _ = socket.recv_fds(self.control, 4096, 2)
            except OSError:
                data, fds = b"", []
            if not data:
                self.broken = True
                raise SandboxUnavailable(f"the sandbox has stopped: {self.last_words()}")
            text = data.decode()
            if text.startswith("exit "):
                _, pid, code = text.split()
                self.exits[int(pid)] = int(code)
                continue
            return text, fds

    # lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        """Kill the sandbox (its init, and so every process in it) and remove its files."""
        self.broken = True
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.control.close()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def last_words(self) -> str:
        """The last line the sandbox printed (bubblewrap's or Python's error)."""
        with contextlib.suppress(Exception):
            self.process.wait(timeout=1)
        self.log.seek(0)
        lines = [line.strip() for line in self.log.read()[-20000:].decode(errors="replace").splitlines()
                 if line.strip()]
        return lines[-1][:300] if lines else f"it exited with code {self.process.returncode}"

    def socket_prefix(self) -> str:
        """A kernel's socket path prefix, as the grader sees it; :meth:`inside` gives the
        sandbox's. Unguessable, so no earlier unit could have made a file in its way."""
        import secrets
        return str(self.sockets / f"k{secrets.token_hex(8)}")

    def inside(self, path: str) -> str:
        """``path`` below the socket folder as the sandbox sees it."""
        return path.replace(str(self.sockets), KERNEL_SOCKETS, 1) if self.sandboxed else path


def folder_archive(folder: str | Path) -> int:
    """The notebooks of the kernel's folder as an uncompressed tar in an anonymous file (its
    fd): the folder's own regular ``.ipynb`` files, at most MAX_FOLDER bytes, and nothing
    else. Whatever else a submission brought is left out: plain ``nbgrader autograde``
    copies a submission's files into ``autograded/`` following its links, as the grader's
    account, so a link there is a copy of any file the grader can read (the gradebook, the
    source notebook). The lesson's helpers come from the sandbox's own view instead."""
    fd = os.memfd_create("student-folder")
    with open(fd, "wb", closefd=False) as out, tarfile.open(fileobj=out, mode="w:") as archive:
        total = 0
        top = Path(folder).resolve()
        for path in sorted(Path(folder).glob("*.ipynb")) if Path(folder).is_dir() else ():
            if path.is_symlink() or not path.is_file() or path.resolve().parent != top:
                continue
            size = path.stat().st_size
            if total + size > MAX_FOLDER:
                continue
            total += size
            archive.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# --- the sandbox's view ----------------------------------------------------------------

def bwrap_command(view: Path, runtime: Path, sockets: Path, uid: int | None) -> list[str]:
    """bubblewrap's arguments for a sandbox that sees only what student code needs.
    ``uid``: the uid to run as when grading as root; None when grading as a user."""
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        args += ["--unshare-user", "--uid", str(USER_UID), "--gid", str(USER_UID), "--disable-userns"]
    # The tmpfs folders first: a bind below /tmp (a course cloned there) must land on them.
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(TMP_SIZE), "--perms", "1777", "--tmpfs", "/tmp",
             "--size", str(SHM_SIZE), "--perms", "1777", "--tmpfs", "/dev/shm",
             "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "ssl"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for prefix in _python_folders():
        args += _parents(prefix) + ["--ro-bind", prefix, prefix]
    args += ["--ro-bind", str(view), "/course", "--ro-bind", str(runtime), "/sandbox",
             "--bind", str(sockets), KERNEL_SOCKETS, "--remount-ro", "/", "--chdir", "/tmp", "--clearenv"]
    for key, value in {**_inside_env(), "PYTHONPATH": "/course:/sandbox", "HOME": "/tmp/home",
                       "MPLCONFIGDIR": "/tmp/matplotlib"}.items():
        args += ["--setenv", key, value]
    if uid is not None:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                 "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", "--no-new-privs"]
    else:
        args += ["--"]
    return args


def _font_lists() -> list[Path]:
    """Matplotlib's font list as built here, when every font it names lies in what the
    sandbox sees (the sandbox copies it rather than scan every font again at each start;
    a list built by another environment is left out, and the sandbox builds its own)."""
    import matplotlib
    from matplotlib import font_manager  # noqa: F401 (builds the list when missing)
    seen = ("/usr/", *(folder + os.sep for folder in _python_folders()))
    usable = []
    for path in sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")):
        try:
            fonts = [font["fname"] for font in json.loads(path.read_text())["ttflist"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        # Matplotlib's own fonts are named relative to its data folder, in the environment.
        if all(isinstance(f, str) and (not os.path.isabs(f) or f.startswith(seen) and os.path.isfile(f))
               for f in fonts):
            usable.append(path)
    return usable


def _parents(path: str) -> list[str]:
    """Folders above a bind's target, made traversable (bubblewrap makes them 0700 as
    root, which the sandbox's uid could not enter)."""
    parents = list(Path(path).parents)[:-1][::-1]  # outermost first, "/" left out
    return [arg for parent in parents for arg in ("--perms", "0755", "--dir", str(parent))]


def _inside_env() -> dict[str, str]:
    env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
    env.update({"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONNOUSERSITE": "1",
                "PYTHONDONTWRITEBYTECODE": "1", "LANG": env.get("LANG", "C.UTF-8")})
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def _refuse_a_visible_course() -> None:
    """The sandbox shows /usr and the Python environment whole: the course (its solutions)
    must live elsewhere, as with an editable install (pip install -e .) of a clone."""
    import helpers
    course = Path(helpers.__file__).resolve().parent.parent
    for folder in ["/usr", *_python_folders()]:
        if course == Path(folder) or Path(folder) in course.parents:
            raise SandboxUnavailable(
                f"the course at {course} lies inside {folder}, which the sandbox shows to student "
                "code: keep the course outside the Python environment (pip install -e . of a clone)")


def _python_folders() -> list[str]:
    """The folders of this Python environment (its interpreter, standard library and
    packages), outermost only, outside /usr (which is bound whole)."""
    folders: set[str] = set()
    for path in (sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(path)
        if not real.startswith("/usr/"):
            folders.add(real)
            folders.add(path)
    kept = sorted(folders)
    return [f for f in kept if not any(f != o and f.startswith(o + os.sep) for o in kept)]


_views: dict[str, list[Path]] = {}  # lesson -> the helpers files its bundle ships


def _student_view(lesson: str, folder: Path) -> Path:
    """``folder/helpers``: what the lesson's student bundle ships (course/bundle.py)."""
    from .. import lesson_files
    from ..bundle import HELPERS, shipped_files
    if lesson not in _views:
        _views[lesson] = shipped_files(lesson_files.find([lesson])[0])
    target = folder / "helpers"
    target.mkdir(parents=True)
    for relative in _views[lesson]:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(HELPERS / relative, target / relative)
    return folder


# --- one sandbox per grading process and lesson -------------------------------------

_hosts: dict[str, Host] = {}  # lesson -> this process's sandbox for it
#: Whether a sandbox is kept, reset, for the next notebook (a grading worker) or ended
#: with its notebook (plain nbgrader autograde: a new sandbox per student).
keep_warm = False


def host_for(lesson: str) -> Host:
    """This process's sandbox for ``lesson``, started on first use."""
    host = _hosts.get(lesson)
    if host is None or host.broken or host.process.poll() is not None:
        if host is not None:
            host.close()
        host = _hosts[lesson] = Host(lesson, sandboxed=sandboxing())
    return host


def release(lesson: str) -> None:
    """A notebook is graded: reset its sandbox for the next (warm), or end it."""
    host = _hosts.get(lesson)
    if host is None:
        return
    if keep_warm and not host.broken:
        with contextlib.suppress(SandboxUnavailable):
            host.reset()
            return
    _hosts.pop(lesson).close()


def close_all() -> None:
    while _hosts:
        _hosts.popitem()[1].close()


atexit.register(close_all)  # bubblewrap would end them anyway (--die-with-parent); tidily here
