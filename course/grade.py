"""``python -m course grade <assignment> [--jobs N | --scheduler tcp://HOST:PORT] [--db URL]``.

Every student in ``submitted/`` is graded by real nbgrader autograde, spread over N
worker processes (:mod:`course.pool`) that share one gradebook: SQLite by
default, or any database nbgrader supports; or over the workers of a Dask cluster
(:mod:`course.cluster`), the gradebook written here only. Workers take the next student
as they finish one, so a slow notebook never holds up a share of the class.

Before anything is written, the input is checked: an unknown assignment, an empty
``submitted/``, a gradebook that cannot be reached or that belongs to another course
is one line of error. Then each submission is looked at: an unreadable or missing
notebook is reported by name and skipped, a notebook saved under another name is graded
under the expected one. One student's failure never stops the others; each is reported
in one line.
"""
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import ROOT, CourseError
from .gradebook import (course_settings, gradebook_url, inspect_gradebook, prepare_gradebook, record_zero,
                        seconds_late)
from .cluster import connect, run_cluster
from .isolation.host import SandboxUnavailable, require_bubblewrap
from .nbgrader_run import why_failed
from .pool import run_pool, worker_url
from .progress import Progress
from .records import record_problems, record_unsandboxed



@dataclass
class StudentResult:
    student: str
    graded: bool = False
    seconds: float = 0.0
    problems: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)  # (function, diagnosed mistake), from autograded/
    crashes: list = field(default_factory=list)  # timeouts and killed kernels, from autograded/


# Submissions -------------------------------------------------------------------------

def students_of(root, lesson, only=None):
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

def grade(lesson, jobs=1, db_url=None, root=ROOT, progress=True, students=None, sandbox=True,
          scheduler=None):
    """Autograde ``lesson`` for every submitted student (or those in ``students``); a list
    of StudentResult, one per student. ``sandbox=False`` runs student code without
    bubblewrap, and records that for the report. With ``scheduler`` (tcp://HOST:PORT),
    the workers of that Dask cluster grade (:mod:`course.cluster`), not ``jobs`` local ones."""
    root = Path(root).resolve()
    if jobs < 1:
        raise CourseError("--jobs must be at least 1")
    if sandbox and not scheduler:  # a cluster's workers are asked instead (course.cluster)
        try:
            require_bubblewrap()
        except SandboxUnavailable as error:
            raise CourseError(str(error)) from None
    course_id, _ = course_settings(root)
    db_url = gradebook_url(root, db_url)
    names = students_of(root, lesson, students)
    assignments = inspect_gradebook(db_url, course_id)
    client = connect(scheduler, root, lesson, sandbox) if scheduler else None
    try:
        # Nothing has been written up to here.
        prepare_gradebook(root, lesson, db_url, course_id, assignments)
        return _grade(root, lesson, db_url, course_id, names, jobs, progress, sandbox, client)
    finally:
        if client is not None:
            client.close()


def _grade(root, lesson, db_url, course_id, names, jobs, progress, sandbox, client):
    results = {s: StudentResult(s) for s in names}
    ready = []
    with tempfile.TemporaryDirectory(prefix="course-staging-") as staging:
        for student, result in results.items():
            result.problems, ok = prepare(root, lesson, student, staging)
            if ok:
                ready.append(student)
        if ready:
            bar = Progress(len(ready), show=progress)
            if client is None:
                reports = run_pool(root, lesson, worker_url(db_url), ready, jobs, sandbox, staging, bar)
                workers = min(jobs, len(ready))
            else:
                reports = run_cluster(client, root, lesson, worker_url(db_url), ready, sandbox, staging, bar)
                workers = len(client.scheduler_info()["workers"])
            for report in reports:
                take(results[report.student], report, staging)
            bar.close(workers)
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


def take(result, report, staging):
    """Put what a worker reported on one student into its StudentResult."""
    if report.lost:
        result.problems.append(report.lost)
        return
    result.graded, result.seconds = report.success, report.seconds
    if not report.success:  # named by its place in submitted/, not the copy's
        result.problems.append(f"grading failed: {why_failed(report.log)}".replace(str(staging), "submitted"))
    result.problems += _warnings(report.log)


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


def _warnings(log):
    """The repairs and cell problems nbgrader logged for one student, each once."""
    keep = ("submission:", "Missing grade cell", "cell type has changed", "Cell type has changed")
    seen = []
    for line in log.splitlines():
        if any(k in line for k in keep):
            text = line.split("] ", 1)[-1].strip()
            if text not in seen:
                seen.append(text)
    return seen


def print_report(lesson, results):
    graded = sum(r.graded for r in results)
    print(f"{lesson.name}: {graded} of {len(results)} students graded")
    for r in results:
        if r.problems or r.mistakes or r.crashes or not r.graded:
            status = "graded" if r.graded else "NOT GRADED"
            said = r.problems + r.crashes + [f"mistake in {f}: {m}" for f, m in r.mistakes]
            print(f"  {r.student}: {status}: " + "; ".join(said))
