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
from .grading.host import NO_SANDBOX_VARIABLE, SandboxUnavailable, require_bubblewrap
from .nbgrader_run import environment

#: nbgrader's gradebooks name a course; verify.py's and other readers open it without
#: one, which nbgrader records as this course.
NBGRADER_DEFAULT_COURSE = "default_course"


@dataclass
class StudentResult:
    student: str
    graded: bool = False
    seconds: float = 0.0
    problems: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)  # (function, diagnosed mistake), from autograded/
    crashes: list = field(default_factory=list)  # timeouts and killed kernels, from autograded/


# The course directory and its gradebook ------------------------------------------------

def course_settings(root):
    """(course_id, db_url or None) from the course's nbgrader_config.py."""
    config_file = Path(root) / "nbgrader_config.py"
    if not config_file.is_file():
        raise CourseError(f"{root} is not an nbgrader course directory: it has no nbgrader_config.py")
    from traitlets.config.loader import PyFileConfigLoader
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    except Exception as error:
        raise CourseError(f"cannot read {config_file}: {_first_line(error)}") from None
    directory = config.get("CourseDirectory", {})
    return directory.get("course_id") or NBGRADER_DEFAULT_COURSE, directory.get("db_url") or None


def gradebook_url(root, db_url=None):
    """The gradebook to use: --db, else nbgrader_config.py's db_url, else root/gradebook.db."""
    _, configured = course_settings(root)
    url = db_url or configured or f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"
    if url.startswith("postgres://"):  # Heroku's spelling, which SQLAlchemy does not know
        raise CourseError(f"the gradebook URL {shown(url)} starts with postgres://: write "
                          "postgresql:// (SQLAlchemy and nbgrader know only that)")
    return url


def shown(db_url):
    """The URL as it may be printed: without its password."""
    try:
        from sqlalchemy.engine import make_url
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", db_url)


def _first_line(error):
    text = str(getattr(error, "orig", None) or error).strip()
    return (text.splitlines() or [type(error).__name__])[0].strip()


def _engine(db_url):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        url = make_url(db_url)
    except ArgumentError:
        raise CourseError(f"--db {db_url!r} is not a database URL "
                          "(e.g. sqlite:///gradebook.db or postgresql://user@host/gradebook)") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise CourseError("an in-memory SQLite gradebook cannot be shared by grading workers; "
                              "give a file (sqlite:///gradebook.db)")
        return create_engine(url), url
    connect_args = {"connect_timeout": 10} if backend == "postgresql" else {}
    try:
        return create_engine(url, connect_args=connect_args), url
    except Exception as error:  # e.g. the database driver is not installed
        raise CourseError(f"cannot use the gradebook {shown(db_url)}: {_first_line(error)}") from None


def inspect_gradebook(db_url, course_id):
    """Read-only look at the gradebook: None when it does not exist yet (a new SQLite
    file), else the set of assignment names it holds for this course. Raises CourseError
    when it cannot be reached or belongs to another course."""
    from sqlalchemy import inspect, text
    engine, url = _engine(db_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        if not path.exists():
            if not path.parent.is_dir():
                raise CourseError(f"cannot open the gradebook {shown(db_url)}: the folder {path.parent} does not exist")
            if not os.access(path.parent, os.W_OK):
                raise CourseError(f"cannot create the gradebook {shown(db_url)}: {path.parent} is not writable")
            return None
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not tables:
                return None
            if not {"assignment", "course"} <= tables:
                raise CourseError(f"the database {shown(db_url)} is not an nbgrader gradebook "
                                  f"(it has tables {', '.join(sorted(tables)[:5])})")
            courses = {row[0] for row in connection.execute(text("SELECT id FROM course"))}
            assignments = list(connection.execute(text("SELECT name, course_id FROM assignment")))
    except CourseError:
        raise
    except Exception as error:
        raise CourseError(f"cannot reach the gradebook {shown(db_url)}: {_first_line(error)}") from None
    finally:
        engine.dispose()
    foreign = sorted({c for _, c in assignments if c != course_id}
                     | {c for c in courses if c not in (course_id, NBGRADER_DEFAULT_COURSE)})
    if foreign and (course_id not in courses or any(c != course_id for _, c in assignments)):
        raise CourseError(f"the gradebook {shown(db_url)} belongs to course {foreign[0]!r}, "
                          f"not {course_id!r}; give this course's gradebook with --db")
    return {name for name, _ in assignments}


def _locked(db_url):
    """A context manager that serializes set-up between graders sharing a PostgreSQL
    gradebook (an advisory lock); nothing for SQLite, where one machine grades."""
    import contextlib
    from sqlalchemy import text

    @contextlib.contextmanager
    def lock():
        engine, url = _engine(db_url)
        if url.get_backend_name() != "postgresql":
            engine.dispose()
            yield
            return
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(74117)"))
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(74117)"))
        finally:
            engine.dispose()
    return lock()


def prepare_gradebook(root, lesson, db_url, course_id, assignments):
    """Register the lesson in the gradebook when it is not there (nbgrader
    generate_assignment from ``source/``, into a scratch release folder), and create the
    course rows the graders need, so that parallel workers only ever read them."""
    from sqlalchemy import text
    with _locked(db_url):
        if assignments is None or lesson.name not in assignments or not _notebooks_known(db_url, course_id, lesson):
            assignments = inspect_gradebook(db_url, course_id)  # another grader may have done it
        if assignments is None or lesson.name not in assignments or not _notebooks_known(db_url, course_id, lesson):
            _forget_empty_submissions(db_url, course_id, lesson)
            register(root, lesson, db_url)
        engine, _ = _engine(db_url)
        try:
            with engine.begin() as connection:
                present = {row[0] for row in connection.execute(text("SELECT id FROM course"))}
                for course in (course_id, NBGRADER_DEFAULT_COURSE):
                    if course not in present:
                        connection.execute(text("INSERT INTO course (id) VALUES (:id)"), {"id": course})
        finally:
            engine.dispose()


def _notebooks_known(db_url, course_id, lesson):
    """Whether the gradebook knows the lesson's notebook: an assignment added with
    ``nbgrader db assignment add`` (to set a due date) has none until it is generated."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, course_id) as gradebook:
        try:
            gradebook.find_notebook(lesson.name, lesson.name)
        except MissingEntry:
            return False
    return True


def _forget_empty_submissions(db_url, course_id, lesson):
    """Remove the submission rows of an assignment that has no notebooks: they hold no
    grade (a failed autograde leaves them) and would stop nbgrader from adding them."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, course_id) as gradebook:
        try:
            assignment = gradebook.find_assignment(lesson.name)
        except MissingEntry:
            return
        if assignment.notebooks:
            return
        for student in [s.student.id for s in assignment.submissions]:
            gradebook.remove_submission(lesson.name, student)


def register(root, lesson, db_url):
    source = Path(root) / "source" / lesson.name / lesson.notebook_name
    if not source.is_file():
        raise CourseError(f"{lesson.name} is not in the gradebook {shown(db_url)} and {source} is missing; "
                          f"run nbgrader generate_assignment {lesson.name} first")
    with tempfile.TemporaryDirectory(prefix="course-register-") as scratch:
        shutil.copy(Path(root) / "nbgrader_config.py", Path(scratch) / "nbgrader_config.py")
        shutil.copytree(source.parent, Path(scratch) / "source" / lesson.name)
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", lesson.name, "--force",
             f"--CourseDirectory.root={scratch}", f"--CourseDirectory.db_url={db_url}"],
            cwd=scratch, env=environment(), capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise CourseError(f"could not add {lesson.name} to the gradebook {shown(db_url)}: "
                          f"{_why(done.stderr).removeprefix('grading failed: ')}")


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
    for student, late in lateness(db_url, course_id, lesson, names).items():
        results[student].problems.append(f"submitted {late} late")
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


def _timestamp(root, lesson, student):
    path = Path(root) / "submitted" / student / lesson.name / "timestamp.txt"
    return path.read_text().strip() or None if path.is_file() else None


def record_zero(root, lesson, db_url, course_id, reasons):
    """Record each unreadable submission in the gradebook as 0 on every test, with the
    reason as its comment, so that the gradebook and its export list every student."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc
    with Gradebook(db_url, course_id) as gradebook:
        for student, reason in reasons.items():
            gradebook.update_or_create_student(student)
            stamp = _timestamp(root, lesson, student)
            try:
                when = {"timestamp": parse_utc(stamp)} if stamp else {}
            except ValueError:
                when = {}
            submission = gradebook.update_or_create_submission(lesson.name, student, **when)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score, grade.manual_score = 0.0, None
                for comment in notebook.comments:
                    comment.auto_comment = reason
            gradebook.db.commit()


def lateness(db_url, course_id, lesson, students):
    """{student: how late, e.g. '2 d 1 h 30 min'} for the late submissions in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    late = {}
    with Gradebook(db_url, course_id) as gradebook:
        for student in students:
            try:
                seconds = gradebook.find_submission(lesson.name, student).total_seconds_late
            except MissingEntry:
                continue
            if seconds > 0:
                late[student] = duration(seconds)
    return late


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
                        result.problems.append(_why(report["log"]).replace(str(staging), "submitted"))
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


#: nbgrader's own summary lines, which say that something failed but not what.
GENERIC = ("There was an error processing", "see the the above", "Removing failed assignment",
           "Traceback (most recent call last)")


def _why(log):
    """nbgrader's own error lines (``[ERROR] No notebooks found, ...``), else the last
    exception raised, as one line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = []
    for line in lines:
        if line.startswith("[ERROR]") and not any(g in line for g in GENERIC):
            text = line[len("[ERROR]"):].strip()
            if text not in errors:
                errors.append(text)
    raised = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b.*:", line)
              and not any(g in line for g in GENERIC)]
    reason = " | ".join(errors) if errors else raised[-1] if raised else "no reason given"
    return f"grading failed: {reason[:400]}"


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
