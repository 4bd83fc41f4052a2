"""A pool of grading worker processes on this machine (:mod:`course.worker`).

Each worker runs nbgrader once and grades the students it is given, one at a time; a
worker takes the next student as soon as it reports on one, so a slow notebook never
holds up a share of the class. :func:`run_pool` yields one :class:`Report` per student,
in the order they finish, whatever happens to the workers: a worker that dies or is stuck
for ``STUDENT_LIMIT`` seconds costs its current student a report that says so, and a new
worker takes its place (up to twice the pool's size), so the rest of the class goes on.
"""
import json
import os
import re
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .isolation.host import NO_SANDBOX_VARIABLE
from .lesson_files import Lesson
from .nbgrader_run import environment
from .progress import Progress

#: A student whose grading takes longer than this has a worker that is stuck (each of a
#: notebook's cells is bounded far below it): the worker is stopped and the run goes on.
STUDENT_LIMIT = 1800.0


@dataclass
class Report:
    """What became of one student's grading."""
    student: str
    success: bool = False
    seconds: float = 0.0
    log: str = ""  # nbgrader's log for this student
    lost: str | None = None  # why no worker reported on the student, if none did
    worker: str = ""


def worker_url(db_url: str) -> str:
    """SQLite shared by several workers: wait for a lock rather than fail at once."""
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return db_url + "?timeout=60"
    return db_url


def run_pool(root: Path, lesson: Lesson, db_url: str, students: list[str], jobs: int,
             sandbox: bool = True, staging: str | Path | None = None,
             progress: Progress | None = None) -> Iterator[Report]:
    """Grade ``students`` on ``jobs`` local workers; one :class:`Report` per student."""
    queue = list(students)
    selector = selectors.DefaultSelector()
    workers: list[_Worker] = []
    restarts = 0

    def launch() -> None:
        worker = _Worker(root, lesson, db_url, sandbox, staging, name=f"local-{len(workers) + 1}")
        selector.register(worker.stdout, selectors.EVENT_READ, worker)
        workers.append(worker)
        feed(worker)

    def feed(worker: "_Worker") -> None:
        if queue:
            worker.give(queue.pop(0))
            if progress:
                progress.started(worker.name, worker.current)
        else:
            worker.current = None
            worker.finish()

    def ended(worker: "_Worker", why: str | None = None) -> Report | None:
        """The worker is gone: its current student, if any, is lost."""
        nonlocal restarts
        selector.unregister(worker.stdout)
        if why:
            worker.process.kill()
        worker.process.wait()
        student, worker.current = worker.current, None
        if student is None:
            return None
        if queue and restarts < 2 * jobs:
            restarts += 1
            launch()
        why = why or worker.last_words()
        return told(Report(student, lost="the grading worker stopped while grading this student"
                           + (f" ({why})" if why else ""), worker=worker.name))

    def told(report: Report) -> Report:
        if progress:
            progress.finished(report.worker, report.success)
        return report

    try:
        for _ in range(min(jobs, len(queue))):
            launch()
        while selector.get_map():
            for key, _ in selector.select(timeout=10):
                worker = key.data
                lines, closed = worker.lines()
                for line in lines:
                    if not line.startswith("@course "):
                        continue
                    said = json.loads(line[len("@course "):])
                    if "student" not in said:
                        continue
                    worker.current = None
                    yield told(Report(said["student"], said["success"], said["seconds"], said["log"],
                                      worker=worker.name))
                    feed(worker)
                if closed and (lost := ended(worker)):
                    yield lost
            for key in list(selector.get_map().values()):
                worker = key.data
                if worker.current is not None and time.monotonic() - worker.since > STUDENT_LIMIT:
                    if lost := ended(worker, f"no result after {STUDENT_LIMIT:.0f} s; stopped"):
                        yield lost
        for student in queue:  # every worker died and none may be started
            yield Report(student, lost="the grading worker stopped before this student")
    finally:
        for key in list(selector.get_map().values()):
            key.data.process.kill()
            key.data.process.wait()
        selector.close()
        for worker in workers:
            worker.log.close()


class _Worker:
    """One ``python -m course.worker`` process: students in on stdin, reports out on stdout."""

    def __init__(self, root: Path, lesson: Lesson, db_url: str, sandbox: bool,
                 staging: str | Path | None, name: str) -> None:
        self.name = name
        self.log = tempfile.TemporaryFile(mode="w+")
        env = environment()
        if not sandbox:
            env[NO_SANDBOX_VARIABLE] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "course.worker", str(root), lesson.name, db_url,
             *([str(staging)] if staging else [])],
            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, text=True, bufsize=1)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.current: str | None = None
        self.since = time.monotonic()
        self.pending = b""  # read from stdout, not yet a whole line

    def lines(self) -> tuple[list[str], bool]:
        """The whole lines the worker has written since the last call, and whether its
        stdout has ended. Read from the file descriptor itself: a buffered readline could
        keep a second line in its buffer, unseen by select, and wait forever."""
        chunk = os.read(self.stdout.fileno(), 65536)
        self.pending += chunk
        *whole, self.pending = self.pending.split(b"\n")
        return [line.decode("utf-8", "replace") for line in whole], not chunk

    def last_words(self) -> str | None:
        """The last line of a dead worker's traceback, if it left one."""
        self.log.seek(0)
        lines = [line.strip() for line in self.log.read()[-20000:].splitlines() if line.strip()]
        raised = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b", line)]
        return raised[-1][:300] if raised else None

    def give(self, student: str) -> None:
        self.current = student
        self.since = time.monotonic()
        try:
            self.stdin.write(student + "\n")
            self.stdin.flush()
        except OSError:
            pass  # it died; its stdout ends and the student is reported

    def finish(self) -> None:
        try:
            self.stdin.close()
        except OSError:
            pass
