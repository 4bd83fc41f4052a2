"""The course's nbgrader gradebook: which one (``--db``, nbgrader_config.py, or
``gradebook.db``), a read-only look at it before anything is written, registering a lesson
in it, and what grading records beside nbgrader's own scores (a zero for an unreadable
notebook) or reads back (lateness). SQLite serves one machine; PostgreSQL, several graders.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import CourseError
from .nbgrader_run import environment, why_failed

#: nbgrader's gradebooks name a course; verify.py's and other readers open it without
#: one, which nbgrader records as this course.
NBGRADER_DEFAULT_COURSE = "default_course"


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
                          f"{why_failed(done.stderr)}")


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


def seconds_late(db_url, course_id, lesson, students):
    """{student: seconds late} for the late submissions in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    late = {}
    with Gradebook(db_url, course_id) as gradebook:
        for student in students:
            try:
                seconds = gradebook.find_submission(lesson.name, student).total_seconds_late
            except MissingEntry:
                continue
            if seconds > 0:
                late[student] = seconds
    return late
