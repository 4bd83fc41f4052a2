"""Jupyter kernels in the student sandbox, for grading.

:class:`SandboxKernelManager` is jupyter_client's ``AsyncKernelManager`` except for where
its kernel runs: forked by the zygote of the student sandbox (:mod:`course.isolation.host`),
which has imported the kernel's machinery, NumPy and Matplotlib once, so a kernel starts
in a fraction of a second, with nothing of the course directory in view and no network.
The fork runs ``ipykernel_launcher`` exactly as ``python -m ipykernel_launcher -f FILE``
would, in a copy of the notebook's folder, with the environment a kernel gets less the
grader's own variables.

Kernels talk over Unix sockets (ZeroMQ's ``ipc`` transport) in a folder the sandbox
shares with the grader, at paths unique to the sandbox, so graders never compete for
TCP ports (nbgrader issue #174) and a kernel needs no network. The grader watches and
signals a kernel through a pidfd the zygote hands over: a PID inside the sandbox means
nothing outside it.
"""
import json
import os
import select
import signal
import subprocess
import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager

from . import host as hosts


class SandboxedProcess:
    """A ``Popen``-like view of a kernel in the sandbox: watched and signalled through
    its pidfd; its exit code is what the zygote reports when it reaps it."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int, host: hosts.Host) -> None:
        self.pid, self._pidfd, self.host = pid, pidfd, host
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            code = None
            for _ in range(40):  # the zygote's notice follows the exit within milliseconds
                code = self.host.exit_code(self.pid)
                if code is not None or self.host.broken:
                    break
                time.sleep(0.005)
            self.returncode = code if code is not None else -signal.SIGKILL
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                assert timeout is not None  # with no timeout, select returns only when it exited
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            try:
                signal.pidfd_send_signal(self._pidfd, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class QuickReadyClient(AsyncKernelClient):
    """jupyter_client's client, with a handshake that does not sleep.

    ``wait_for_ready`` is jupyter_client's (a kernel_info request answered, and a message
    seen on IOPub, so that no output can be missed), but it waits for IOPub in short
    rounds and drains it for 20 ms instead of 200 ms each: over Unix sockets the
    subscription takes a millisecond, and the two fixed 0.2 s waits were most of a
    kernel's start-up."""

    async def _quick_wait_for_ready(self, timeout: float | None = None) -> None:
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


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose Python kernels are forked in a student sandbox and whose
    channels are Unix sockets in the sandbox's shared folder. Give it the sandbox with
    :meth:`use` before starting a kernel."""

    def use(self, host: hosts.Host) -> "SandboxKernelManager":
        self.host = host
        self.transport = "ipc"
        self.ip = host.socket_prefix()
        self.client_factory = QuickReadyClient
        return self

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(0.005)  # a pidfd tells at once; no need to sleep 0.1 s

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if len(kernel_cmd) < 5 or kernel_cmd[1:4] != ["-m", "ipykernel_launcher", "-f"]:
            raise RuntimeError(f"only Python kernels can be graded here, not {kernel_cmd[:3]}")
        with open(kernel_cmd[4]) as connection:
            info = json.load(connection)
        info["ip"] = self.host.inside(info["ip"])  # the same sockets, seen from the sandbox
        cwd = kw.get("cwd") or os.getcwd()
        env = {k: v for k, v in (kw.get("env") or {}).items()
               if k in hosts.PASSED_ENV or k.startswith("JPY_")}
        archive = hosts.folder_archive(cwd)
        try:
            pid, pidfd = self.host.spawn("kernel", {"connection": json.dumps(info), "argv": kernel_cmd[5:],
                                                    "folder": str(cwd), "env": env}, archive)
        finally:
            os.close(archive)
        # jupyter_client's LocalProvisioner, made before the launch; Any, since it types its
        # process, pid, pgid and cwd as None and they are replaced here
        provisioner: Any = self.provisioner
        provisioner.process = SandboxedProcess(pid, pidfd, self.host)
        provisioner.pid = provisioner.pgid = None  # not host PIDs: never signal them as such
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
