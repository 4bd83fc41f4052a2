"""``python -m course grade <assignment> [--jobs N] [--db URL]``: autograde a class.

Every student in ``submitted/`` is graded by real nbgrader autograde, spread over N
worker processes (``course.grading.worker``) that share one gradebook: SQLite by
default, or any database nbgrader supports (PostgreSQL for graders on several
machines). Workers take the next student as they finish one, so a slow notebook never
holds up a share of the class.

Before anything is written, the input is checked: an unknown assignment, an empty
``submitted/``, a gradebook that cannot be reached or that belongs to another course
is one line of error. Then each submission is looked at: an unreadable or missing
notebook is reported by name and skipped, a notebook saved under another name is graded
under the expected one. One student's failure never stops the others; each is reported
in one line.
"""
import json
import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import ROOT, CourseError
from .gradebook import (course_settings, gradebook_url, inspect_gradebook, prepare_gradebook, record_zero,
                        seconds_late)
from .grading.host import NO_SANDBOX_VARIABLE, SandboxUnavailable, require_bubblewrap
from .nbgrader_run import environment, why_failed



@dataclass
class StudentResult:
    student: str
    graded: bool = False
    seconds: float = 0.0
    problems: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)  # (function, diagnosed mistake), from autograded/
    crashes: list = field(default_factory=list)  # timeouts and killed kernels, from autograded/


# Submissions -------------------------------------------------------------------------

def students_of(root, lesson, only=None, shard=None):
    submitted = Path(root) / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{lesson.name}") if p.is_dir()) \
        if submitted.is_dir() else []
    if not found:
        raise CourseError(f"no submissions for {lesson.name}: expected "
                          f"submitted/<student>/{lesson.name}/{lesson.notebook_name} under {root}")
    if only:
        missing = [s for s in only if s not in found]
        if missing:
            raise CourseError(f"no submission of {lesson.name} from {missing[0]!r} in {Path(root) / 'submitted'}")
        found = [s for s in found if s in only]
    if shard:
        index, count = shard
        found = found[index - 1::count]
    return found


UNREADABLE = "cannot be read as a notebook"


def prepare(root, lesson, student, staging):
    """Problems with a submission before grading; the last one is fatal when it says so.
    The submission is copied to ``staging/<student>/<lesson>/`` (with its timestamp), the
    notebook under its expected name: nbgrader grades that copy, and ``submitted/`` is
    only ever read."""
    folder = Path(root) / "submitted" / student / lesson.name
    expected = folder / lesson.notebook_name
    problems = []
    notebook = expected
    if not expected.exists():
        others = sorted(folder.glob("*.ipynb"))
        if len(others) != 1:
            return [f"no notebook {lesson.notebook_name} in submitted/{student}/{lesson.name}/"
                    + (f" (found {', '.join(p.name for p in others)})" if others else "")], False
        notebook = others[0]
        problems.append(f"notebook saved as {notebook.name}; graded as {lesson.notebook_name}")
    try:
        nb = nbformat.read(notebook, as_version=4)
        if not nb.cells:
            raise ValueError("it has no cells")
    except Exception as error:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        return problems + [f"{notebook.name} {UNREADABLE} ({reason}); "
                           "recorded as 0; ask the student to resubmit"], False
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        from nbgrader.utils import parse_utc
        text = ""
        try:
            text = stamp.read_text(errors="replace").strip()
            if text:
                parse_utc(text)
        except (ValueError, OSError, OverflowError):  # nbgrader itself fails with an AttributeError
            return problems + [f"timestamp.txt says {text[:40]!r}, which is not a date and time: write when "
                               "it was submitted (e.g. 2026-01-10 16:00:00 UTC) or remove the file"], False
    copy = Path(staging) / student / lesson.name
    copy.mkdir(parents=True)
    shutil.copyfile(notebook, copy / lesson.notebook_name)
    for name in ("timestamp.txt", "submission_secret.txt"):  # nbgrader's release_feedback needs the secret
        if (folder / name).is_file() and not (folder / name).is_symlink():
            shutil.copyfile(folder / name, copy / name)
    return problems, True


# Grading -----------------------------------------------------------------------------

def grade(lesson, jobs=1, db_url=None, root=ROOT, progress=True, students=None, shard=None,
          sandbox=True):
    """Autograde ``lesson`` for every submitted student (or those in ``students``, or one
    shard ``(k, m)`` of them); a list of StudentResult, one per student. ``sandbox=False``
    runs student code without bubblewrap, and records that for the report."""
    root = Path(root).resolve()
    if jobs < 1:
        raise CourseError("--jobs must be at least 1")
    if sandbox:
        try:
            require_bubblewrap()
        except SandboxUnavailable as error:
            raise CourseError(str(error)) from None
    course_id, _ = course_settings(root)
    db_url = gradebook_url(root, db_url)
    names = students_of(root, lesson, students, shard)
    assignments = inspect_gradebook(db_url, course_id)
    # Nothing has been written up to here.
    prepare_gradebook(root, lesson, db_url, course_id, assignments)
    results = {s: StudentResult(s) for s in names}
    ready = []
    with tempfile.TemporaryDirectory(prefix="course-staging-") as staging:
        for student, result in results.items():
            result.problems, ok = prepare(root, lesson, student, staging)
            if ok:
                ready.append(student)
        if ready:
            _run_workers(root, lesson, _worker_url(db_url), ready, results, min(jobs, len(ready)), progress,
                         sandbox, staging)
            record_unsandboxed(root, lesson, [s for s in ready if results[s].graded], not sandbox)
    unreadable = [s for s in names if s not in ready and UNREADABLE in results[s].problems[-1]]
    if unreadable:
        record_zero(root, lesson, db_url, course_id, {s: results[s].problems[-1] for s in unreadable})
    for student, seconds in seconds_late(db_url, course_id, lesson, names).items():
        results[student].problems.append(f"submitted {duration(seconds)} late")
    record_problems(root, lesson, results.values())
    for student in ready:
        if results[student].graded:
            found = diagnosed(root, lesson, student)
            results[student].mistakes, results[student].crashes = sorted(found.mistakes), found.crashes
    return list(results.values())


def diagnosed(root, lesson, student):
    """The catalogued mistakes and the crashes in the student's autograded notebook, read
    as the report reads them (so that the summary and the report list the same)."""
    from . import cells
    from .report import Student, read_autograded
    path = Path(root) / "autograded" / student / lesson.name / lesson.notebook_name
    found = Student(student)
    try:
        functions = cells.functions(nbformat.read(path, as_version=4))
    except Exception:
        return found
    read_autograded(path, functions, found)
    return found


def duration(seconds):
    """'2 d 1 h 30 min', '45 s'."""
    seconds = int(round(seconds))
    parts = [(seconds // 86400, "d"), (seconds % 86400 // 3600, "h"), (seconds % 3600 // 60, "min")]
    text = " ".join(f"{n} {unit}" for n, unit in parts if n)
    return text or f"{seconds} s"


PROBLEMS = "problems.json"  # autograded/<lesson>.problems.json: each student's latest problems


def record_problems(root, lesson, results):
    """Keep each student's problems of their latest grading (the report's problems table)."""
    path = Path(root) / "autograded" / f"{lesson.name}.{PROBLEMS}"
    known = json.loads(path.read_text()) if path.is_file() else {}
    for result in results:
        known[result.student] = {"graded": result.graded, "problems": result.problems}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")


def recorded_problems(root, lesson):
    """{student: {"graded", "problems"}} as the latest grading runs left them."""
    path = Path(root) / "autograded" / f"{lesson.name}.{PROBLEMS}"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


UNSANDBOXED = "unsandboxed.txt"  # autograded/<lesson>/..: who was graded with --no-sandbox


def record_unsandboxed(root, lesson, students, unsandboxed):
    """Keep ``autograded/<lesson>.unsandboxed.txt`` listing the students whose latest
    grading ran without the sandbox (the report states it)."""
    path = Path(root) / "autograded" / f"{lesson.name}.{UNSANDBOXED}"
    listed = set(path.read_text().split()) if path.is_file() else set()
    listed = (listed | set(students)) if unsandboxed else (listed - set(students))
    if listed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{s}\n" for s in sorted(listed)))
    elif path.is_file():
        path.unlink()


def unsandboxed_students(root, lesson):
    path = Path(root) / "autograded" / f"{lesson.name}.{UNSANDBOXED}"
    return sorted(path.read_text().split()) if path.is_file() else []


def _worker_url(db_url):
    """SQLite shared by several workers: wait for a lock rather than fail at once."""
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return db_url + "?timeout=60"
    return db_url


#: A student whose grading takes longer than this has a worker that is stuck (each of a
#: notebook's cells is bounded far below it): the worker is stopped and the run goes on.
STUDENT_LIMIT = 1800.0


class _Worker:
    def __init__(self, root, lesson, db_url, sandbox=True, staging=None):
        self.log = tempfile.TemporaryFile(mode="w+")
        env = environment()
        if not sandbox:
            env[NO_SANDBOX_VARIABLE] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "course.grading.worker", str(root), lesson.name, db_url,
             *([str(staging)] if staging else [])],
            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, text=True, bufsize=1)
        self.current = None
        self.since = time.monotonic()
        self.pending = b""  # read from stdout, not yet a whole line

    def lines(self):
        """The whole lines the worker has written since the last call, and whether its
        stdout has ended. Read from the file descriptor itself: a buffered readline could
        keep a second line in its buffer, unseen by select, and wait forever."""
        chunk = os.read(self.process.stdout.fileno(), 65536)
        self.pending += chunk
        *whole, self.pending = self.pending.split(b"\n")
        return [line.decode("utf-8", "replace") for line in whole], not chunk

    def last_words(self):
        """The last line of a dead worker's traceback, if it left one."""
        self.log.seek(0)
        lines = [line.strip() for line in self.log.read()[-20000:].splitlines() if line.strip()]
        raised = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b", line)]
        return raised[-1][:300] if raised else None

    def give(self, student):
        self.current = student
        self.since = time.monotonic()
        try:
            self.process.stdin.write(student + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # it died; its stdout ends and the student is reported

    def finish(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass


def _run_workers(root, lesson, db_url, ready, results, jobs, progress, sandbox=True, staging=None):
    queue = list(ready)
    start = time.perf_counter()
    done = 0
    restarts = 0
    selector = selectors.DefaultSelector()
    show_bar = progress and sys.stderr.isatty()

    def launch():
        worker = _Worker(root, lesson, db_url, sandbox, staging)
        selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        return worker

    def feed(worker):
        if queue:
            worker.give(queue.pop(0))
        else:
            worker.current = None
            worker.finish()

    def ended(worker, why=None):
        nonlocal done, restarts
        selector.unregister(worker.process.stdout)
        if why:
            worker.process.kill()
        worker.process.wait()
        if worker.current is not None:
            why = why or worker.last_words()
            results[worker.current].problems.append(
                "grading failed: the grading worker stopped while grading this student"
                + (f" ({why})" if why else ""))
            done += 1
            worker.current = None
            if queue and restarts < 2 * jobs:
                restarts += 1
                workers.append(launch())
                feed(workers[-1])

    workers = [launch() for _ in range(jobs)]
    for worker in workers:
        feed(worker)
    if show_bar:
        _bar(0, len(ready), 0.0)
    try:
        while selector.get_map():
            for key, _ in selector.select(timeout=10):
                worker = key.data
                lines, closed = worker.lines()
                for line in lines:
                    if not line.startswith("@course "):
                        continue
                    report = json.loads(line[len("@course "):])
                    if "student" not in report:
                        continue
                    result = results[report["student"]]
                    result.graded, result.seconds = report["success"], report["seconds"]
                    if not report["success"]:  # named by its place in submitted/, not the copy's
                        result.problems.append(f"grading failed: {why_failed(report['log'])}".replace(str(staging), "submitted"))
                    result.problems += _warnings(report["log"])
                    done += 1
                    feed(worker)
                    if show_bar:
                        _bar(done, len(ready), time.perf_counter() - start)
                if closed:
                    ended(worker)
            for key in list(selector.get_map().values()):
                worker = key.data
                if worker.current is not None and time.monotonic() - worker.since > STUDENT_LIMIT:
                    ended(worker, f"no result after {STUDENT_LIMIT:.0f} s; stopped")
    finally:
        for key in list(selector.get_map().values()):
            key.data.process.kill()
            key.data.process.wait()
        selector.close()
        for worker in workers:
            worker.log.close()
    seconds = time.perf_counter() - start
    if progress:
        print("\r\033[K" if show_bar else "", end="", file=sys.stderr)
        print(f"graded {len(ready)} notebooks in {seconds:.1f} s "
              f"({len(ready) / max(seconds, 1e-9):.2f} notebooks/s, {jobs} worker(s))", file=sys.stderr)
    for student in ready:
        if not results[student].graded and not results[student].problems:
            results[student].problems.append("the grading worker stopped before this student")


def _warnings(log):
    keep = ("submission:", "Missing grade cell", "cell type has changed", "Cell type has changed")
    seen = []
    for line in log.splitlines():
        if any(k in line for k in keep):
            text = line.split("] ", 1)[-1].strip()
            if text not in seen:
                seen.append(text)
    return seen


def _bar(done, total, seconds):
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / seconds if seconds > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    eta = f"  {left:.0f} s left" if done and done < total else ""
    print(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.2f} notebooks/s{eta}\033[K",
          end="", file=sys.stderr, flush=True)


def print_report(lesson, results):
    graded = sum(r.graded for r in results)
    print(f"{lesson.name}: {graded} of {len(results)} students graded")
    for r in results:
        if r.problems or r.mistakes or r.crashes or not r.graded:
            status = "graded" if r.graded else "NOT GRADED"
            said = r.problems + r.crashes + [f"mistake in {f}: {m}" for f, m in r.mistakes]
            print(f"  {r.student}: {status}: " + "; ".join(said))
