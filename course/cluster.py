"""Grading on a Dask cluster: ``course grade <lesson> --scheduler tcp://HOST:PORT``.

A cluster is ``dask scheduler`` on one machine and ``dask worker tcp://HOST:PORT`` on
each grading machine, each in a clone of this course set up as the README says. Each
student is one task: it carries the staged submission's files as bytes, and the worker
grades them with :mod:`course.worker`'s own nbgrader (in the same bubblewrap sandbox as
local grading) in a temporary course made from ITS OWN copy of the course. The task
returns the autograded notebook as bytes; no filesystem is shared.

The gradebook is written here only, once per student, by nbgrader's own autograde run on
the returned notebook with nothing but its recording preprocessors (SaveAutoGrades,
AssignLatePenalties): the same scores as ``--jobs N`` and plain ``nbgrader autograde``,
and ``autograded/<student>/<lesson>/`` as with local grading.

Before any task, every worker tells its course identity (git commit and a digest of each
file of the lesson's ``source/``, ``helpers/`` and ``nbgrader_config.py``); any difference
stops the run before anything is written. A worker that dies has its tasks run again
elsewhere by Dask (each result is taken once); a task that killed its worker too often
(KilledWorker) is a lost student, and a student's crash or timeout is a failed report.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import traceback
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ROOT, CourseError
from .lesson_files import Lesson
from .pool import Report
from .progress import Progress

if TYPE_CHECKING:
    from distributed import Client, Future
    from nbgrader.apps import NbGraderAPI

#: Seconds to reach the scheduler, and then for a first worker to be there.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 30.0
POLL = 1.0  # seconds between looks at which worker grades what (the progress line)
#: Seconds with no worker at all before the students left are reported lost, not awaited.
NO_WORKER_LIMIT = 600.0
SKIPPED = ("__pycache__", ".ipynb_checkpoints")  # never part of a course's identity


# --- the course's identity -------------------------------------------------------------

def identity(root: Path, code: Path, lesson: str) -> dict[str, Any]:
    """The git commit of the course's code and a digest of each file that decides grades:
    ``source/<lesson>/`` and ``nbgrader_config.py`` of the course directory ``root``,
    ``helpers/`` of the code at ``code``."""
    files: dict[str, str] = {}
    for base, relative in ((root, f"source/{lesson}"), (code, "helpers"), (root, "nbgrader_config.py")):
        path = base / relative
        found = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in found:
            name = file.relative_to(base).as_posix()
            if not any(part in SKIPPED or part.startswith(".") for part in Path(name).parts) \
                    and not name.endswith(".pyc"):
                files[name] = hashlib.sha256(file.read_bytes()).hexdigest()
    return {"commit": _commit(code), "files": files}


def _commit(code: Path) -> str:
    try:
        done = subprocess.run(["git", "-C", str(code), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no git)"
    return done.stdout.strip() if done.returncode == 0 else "unknown (not a git clone)"


def difference(mine: dict[str, Any], theirs: dict[str, Any]) -> str | None:
    """What differs between two identities, in a few words; None when nothing does."""
    said = []
    if mine["commit"] != theirs["commit"]:
        said.append(f"commit {theirs['commit'][:12]}, the instructor's is {mine['commit'][:12]}")
    names = set(mine["files"]) | set(theirs["files"])
    changed = sorted(n for n in names if mine["files"].get(n) != theirs["files"].get(n))
    if changed:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        said.append(f"{', '.join(changed[:3])}{more} differ{'s' if len(changed) == 1 else ''}")
    return "; ".join(said) or None


def worker_identity(lesson: str, sandbox: bool) -> dict[str, Any]:
    """Run on each worker: its own course's identity now, whether it can sandbox, and the
    identity its grader started with, if it has one (its code and lesson are loaded)."""
    found = {**identity(ROOT, ROOT, lesson), "bwrap": not sandbox or shutil.which("bwrap") is not None}
    grader = _graders.get((lesson, sandbox))
    if grader is not None:
        found["started"] = grader.identity
    return found


def refusal(expected: dict[str, Any], theirs: dict[str, Any]) -> str | None:
    """Why a worker with identity ``theirs`` may not grade for ``expected``, if it may not."""
    why = difference(expected, theirs)
    if why is None and "started" in theirs:
        # its files were changed after it loaded them: it would grade with the old ones
        why = difference(expected, theirs["started"])
        why = why and f"{why} since the worker started"
    return why


# --- the instructor's side ---------------------------------------------------------------

def connect(address: str, root: Path, lesson: Lesson, sandbox: bool) -> Client:
    """A client of the scheduler at ``address`` whose every worker runs this course;
    CourseError (one line) when the scheduler cannot be reached, has no worker, or a
    worker's course differs. Writes nothing."""
    if not re.fullmatch(r"(tcp|tls)://(\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}", address):
        # checked here: a Client given a malformed address hangs on closing
        raise CourseError(f"--scheduler {address!r} is not a scheduler address: give tcp://HOST:PORT, "
                          "as `dask scheduler` prints it")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # our one line says it
    from distributed import Client
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as error:
        raise CourseError(f"cannot reach the Dask scheduler at {address} ({_first_line(error)}): start "
                          "`dask scheduler` there, or give its address as tcp://HOST:PORT") from None
    try:
        _check_workers(client, address, root, lesson, sandbox)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client: Client, address: str, root: Path, lesson: Lesson, sandbox: bool) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except Exception:
        raise CourseError(f"the Dask scheduler at {address} has no worker: start "
                          f"`dask worker {address} --nthreads 1` on each grading machine") from None
    mine = identity(root, ROOT, lesson.name)
    for worker, theirs in sorted(client.run(worker_identity, lesson.name, sandbox).items()):
        why = refusal(mine, theirs)
        if why:
            raise CourseError(f"the Dask worker {worker} runs another course ({why}): update its "
                              "clone to the instructor's and restart it")
        if not theirs["bwrap"]:
            raise CourseError(f"the Dask worker {worker} has no bubblewrap, so student code cannot be "
                              "isolated there: install it on that machine (apt-get install bubblewrap)")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines() or [type(error).__name__])[0][:200]


def run_cluster(client: Client, root: Path, lesson: Lesson, db_url: str, students: list[str],
                sandbox: bool = True, staging: str | Path | None = None,
                progress: Progress | None = None) -> Iterator[Report]:
    """Grade ``students`` (staged in ``staging/<student>/<lesson>/``) on the cluster's
    workers; one :class:`Report` per student, in the order they finish, each recorded in
    the gradebook here as it comes."""
    assert staging is not None, "the cluster grades staged copies only"
    staging = Path(staging)
    expected = identity(root, ROOT, lesson.name)
    recorder = Recorder(root, lesson, db_url, staging)
    run = uuid.uuid4().hex[:8]  # a new key for each run: never a result Dask kept from another
    futures = {client.submit(grade_task, lesson.name, student, _files(staging / student / lesson.name),
                             expected, sandbox, key=f"grade-{lesson.name}-{student}-{run}", pure=False): student
               for student in students}
    pending = set(futures)
    placed: dict[str, str] = {}  # task key -> the worker last seen grading it
    looked, alone_since = 0.0, time.monotonic()
    try:
        while pending:
            done = {f for f in pending if f.done()}
            pending -= done
            if time.monotonic() - looked > POLL:
                if progress:
                    _show_in_flight(client, progress, placed, {str(f.key) for f in pending})
                looked = time.monotonic()
                if _has_workers(client):
                    alone_since = looked
                elif looked - alone_since > NO_WORKER_LIMIT:  # every machine gone: give the rest up
                    for future in pending:
                        if progress:
                            progress.finished("", False)
                        yield Report(futures[future], lost=f"no Dask worker was left for {NO_WORKER_LIMIT:.0f} s")
                    return
            if not done:
                time.sleep(0.1)
            for future in done:
                report = _outcome(future, futures[future], recorder)
                if progress:
                    _moved(progress, placed.pop(str(future.key), None), report.worker)
                    progress.finished(report.worker, report.success)
                yield report
    finally:
        client.cancel(list(pending))


def _has_workers(client: Client) -> bool:
    try:
        return bool(client.nthreads())
    except Exception:  # the scheduler itself is gone: Dask fails the futures
        return True


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _show_in_flight(client: Client, progress: Progress, placed: dict[str, str], keys: set[str]) -> None:
    """Count each pending task on the worker the scheduler has it on."""
    try:
        now = {str(key): worker for worker, held in client.processing().items()
               for key in held if str(key) in keys}
    except Exception:  # the scheduler is busy or gone: the next look will tell
        return
    for key in [k for k in placed if now.get(k) != placed[k]]:
        _moved(progress, placed.pop(key), None)
    for key, worker in now.items():
        if key not in placed:
            placed[key] = worker
            progress.started(worker, key)


def _moved(progress: Progress, seen: str | None, worker: str | None) -> None:
    """A task seen on ``seen`` left it (for ``worker``, or back to the queue)."""
    if seen and seen != worker and progress.in_flight[seen] > 0:
        progress.in_flight[seen] -= 1
    if seen and seen != worker and worker:
        progress.in_flight[worker] += 1  # finished() takes it off again


def _outcome(future: Future, student: str, recorder: Recorder) -> Report:
    """The task's result as a Report, its notebook recorded in the gradebook."""
    from distributed import KilledWorker
    try:
        said = future.result()
    except KilledWorker as error:
        return Report(student, lost="grading this student killed its Dask worker each time it was "
                                    f"tried ({_first_line(error)})")
    except Exception as error:
        return Report(student, lost=f"the Dask task failed: {type(error).__name__}: {_first_line(error)}")
    worker = said.get("worker", "")
    if said.get("refused"):
        return Report(student, lost=f"the Dask worker {worker} runs another course ({said['refused']})",
                      worker=worker)
    report = Report(student, said["success"], said["seconds"], said["log"], worker=worker)
    if report.success:
        ok, log = recorder.record(student, said["notebook"])
        if not ok:
            report.success, report.log = False, report.log + "\n" + log
    return report


class Recorder:
    """The gradebook's writer: nbgrader's own autograde on a returned autograded notebook,
    with only the preprocessors that record it (its scores, its lateness)."""

    PREPROCESSORS = ["nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties"]

    def __init__(self, root: Path, lesson: Lesson, db_url: str, staging: Path) -> None:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        from .nbgrader_run import environment
        from .worker import load_config
        os.environ["PATH"] = environment()["PATH"]  # nbgrader's gradebook runs alembic from PATH
        config = load_config(root, db_url, str(staging))
        config.Autograde.sanitize_preprocessors = []
        config.Autograde.autograde_preprocessors = self.PREPROCESSORS
        self.api: NbGraderAPI = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        self.lesson, self.staging = lesson, staging
        self.count, self.seconds = 0, 0.0  # records written and the time they took

    def record(self, student: str, notebook: bytes) -> tuple[bool, str]:
        """Record ``student``'s autograded notebook; (success, nbgrader's log)."""
        from sqlalchemy.exc import SAWarning
        start = time.perf_counter()
        (self.staging / student / self.lesson.name / self.lesson.notebook_name).write_bytes(notebook)
        try:
            with warnings.catch_warnings():
                # nbgrader's update_or_create_submission trips SQLAlchemy's autoflush warnings
                # (a local worker's stderr hides them too); they say nothing about the scores
                warnings.simplefilter("ignore", SAWarning)
                result = self.api.autograde(self.lesson.name, student, force=True, create=True)
        except Exception as error:
            result = {"success": False, "error": f"{type(error).__name__}: {error}"}
        self.seconds += time.perf_counter() - start
        self.count += 1
        return bool(result.get("success")), (result.get("log") or "") + (result.get("error") or "")


# --- the worker's side -------------------------------------------------------------------

_lock = threading.Lock()  # one student at a time per worker process: nbgrader and its sandbox are not shared
_graders: dict[tuple[str, bool], _Grader] = {}


def grade_task(lesson: str, student: str, files: dict[str, bytes], expected: dict[str, Any],
               sandbox: bool) -> dict[str, Any]:
    """One student, on a Dask worker: the report as plain data, with the autograded
    notebook's bytes. Never raises for a student's own failure (it is a failed report)."""
    worker = _address()
    try:
        with _lock:
            key = (lesson, sandbox)
            theirs = worker_identity(lesson, sandbox)  # each time: a clone may change under a worker
            why = refusal(expected, theirs)
            if why:
                return {"student": student, "refused": why, "worker": worker}
            if key not in _graders:
                _graders[key] = _Grader(lesson, sandbox, theirs)
            return {**_graders[key].grade(student, files), "worker": worker}
    except Exception:
        return {"student": student, "success": False, "seconds": 0.0, "worker": worker,
                "log": traceback.format_exc(), "notebook": None}


def _address() -> str:
    from distributed import get_worker
    try:
        return str(get_worker().address)
    except ValueError:  # not on a worker (called directly)
        return "local"


class _Grader:
    """A worker process's nbgrader for one lesson: a temporary course made from this
    worker's own copy of the course, its gradebook knowing the lesson, and the sandbox."""

    def __init__(self, lesson: str, sandbox: bool, identity: dict[str, Any]) -> None:
        from . import lesson_files
        from .isolation.host import NO_SANDBOX_VARIABLE
        from .nbgrader_run import environment, nbgrader, new_course
        from .worker import open_grader
        os.environ.update(environment())  # alembic on PATH, one BLAS thread per kernel
        if sandbox:
            os.environ.pop(NO_SANDBOX_VARIABLE, None)
        else:
            os.environ[NO_SANDBOX_VARIABLE] = "1"
        self.identity = identity  # of the course as this grader loaded it
        self.lesson = lesson_files.find([lesson])[0]
        self.folder = Path(tempfile.mkdtemp(prefix="course-dask-"))
        # a scratch course (course.scratch) of this worker's own lesson, known to its gradebook
        self.root = new_course(self.folder / "course")
        shutil.copytree(ROOT / "source" / lesson, self.root / "source" / lesson)
        nbgrader(self.root, "generate_assignment", lesson, "--force")
        self.staging = self.folder / "staging"
        self.staging.mkdir()
        self.api = open_grader(self.root, lesson, f"sqlite:///{self.root / 'gradebook.db'}", str(self.staging))

    def grade(self, student: str, files: dict[str, bytes]) -> dict[str, Any]:
        from .worker import grade_one
        folder = self.staging / student / self.lesson.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, data in files.items():
            if Path(name).name != name or name.startswith("."):
                raise ValueError(f"unexpected file name {name!r} in a submission")
            (folder / name).write_bytes(data)
        try:
            said = grade_one(self.api, self.lesson.name, student)
            graded = self.root / "autograded" / student / self.lesson.name / self.lesson.notebook_name
            said["notebook"] = graded.read_bytes() if said["success"] and graded.is_file() else None
            said["success"] = said["notebook"] is not None
            said["log"] = said["log"].replace(str(self.staging), "submitted")
            return said
        finally:
            shutil.rmtree(self.staging / student, ignore_errors=True)
            shutil.rmtree(self.root / "autograded" / student, ignore_errors=True)
