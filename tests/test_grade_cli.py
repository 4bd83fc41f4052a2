"""Bad input to `course grade`, `report` and `feedback`: one line of error, a non-zero exit,
and nothing written in the course directory or the gradebook."""
import hashlib
import shutil
import socket
import subprocess
import sys

import nbformat
import pytest

from course import ROOT, lesson_files
from course.nbgrader_run import environment, new_course

LESSON = lesson_files.find(["01_forward_propagation"])[0]


def course(*args):
    done = subprocess.run([sys.executable, "-m", "course", *args], cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def snapshot(root):
    """Every file under ``root`` with its content's hash."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def one_line_error(code, stderr):
    assert code != 0
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("course: error: ")
    return lines[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def root(tmp_path):
    """A course directory with one submission and no gradebook yet."""
    root = new_course(tmp_path / "course")
    shutil.copytree(ROOT / "source" / LESSON.name, root / "source" / LESSON.name)
    folder = root / "submitted" / "ada" / LESSON.name
    folder.mkdir(parents=True)
    release = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
    nbformat.write(release, folder / LESSON.notebook_name)
    return root


@pytest.fixture
def other_course_db(tmp_path, monkeypatch):
    """A gradebook that another nbgrader course made."""
    from nbgrader.api import Gradebook
    monkeypatch.setenv("PATH", environment()["PATH"])  # nbgrader runs alembic for a new gradebook
    path = tmp_path / "elsewhere" / "gradebook.db"
    path.parent.mkdir()
    with Gradebook(f"sqlite:///{path}", "statistics-101") as gradebook:
        gradebook.add_assignment("week1")
    return path


COMMANDS = ["grade", "report", "feedback"]


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_assignment(root, command):
    before = snapshot(root)
    line = one_line_error(*course(command, "99_nothing", "--course-dir", str(root))[::2])
    assert "unknown assignment '99_nothing'" in line
    assert snapshot(root) == before


def test_empty_submitted(root):
    shutil.rmtree(root / "submitted" / "ada")
    before = snapshot(root)
    line = one_line_error(*course("grade", LESSON.name, "--course-dir", str(root))[::2])
    assert f"no submissions for {LESSON.name}" in line
    assert snapshot(root) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_sqlite_gradebook_in_a_missing_folder(root, command):
    before = snapshot(root)
    line = one_line_error(*course(command, LESSON.name, "--course-dir", str(root),
                                  "--db", f"sqlite:///{root}/no/such/folder/gradebook.db")[::2])
    assert "cannot open the gradebook" in line and "does not exist" in line
    assert snapshot(root) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_unreachable_postgresql(root, command):
    before = snapshot(root)
    line = one_line_error(*course(command, LESSON.name, "--course-dir", str(root), "--db",
                                  f"postgresql://grader:hunter2@127.0.0.1:{free_port()}/gradebook")[::2])
    assert "cannot reach the gradebook postgresql" in line and "hunter2" not in line
    assert snapshot(root) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_gradebook_of_another_course(root, other_course_db, command):
    before, db_before = snapshot(root), other_course_db.read_bytes()
    line = one_line_error(*course(command, LESSON.name, "--course-dir", str(root),
                                  "--db", f"sqlite:///{other_course_db}")[::2])
    assert "belongs to course 'statistics-101', not 'nn-from-scratch'" in line
    assert snapshot(root) == before and other_course_db.read_bytes() == db_before


def test_a_database_that_is_not_a_gradebook(root, tmp_path):
    import sqlite3
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER)")
    before, db_before = snapshot(root), path.read_bytes()
    line = one_line_error(*course("grade", LESSON.name, "--course-dir", str(root), "--db", f"sqlite:///{path}")[::2])
    assert "is not an nbgrader gradebook" in line
    assert snapshot(root) == before and path.read_bytes() == db_before


def test_a_file_that_is_not_a_database(root, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100)
    before = snapshot(root)
    line = one_line_error(*course("grade", LESSON.name, "--course-dir", str(root), "--db", f"sqlite:///{path}")[::2])
    assert "cannot reach the gradebook" in line
    assert snapshot(root) == before


@pytest.mark.parametrize("command", ["report", "feedback"])
def test_nothing_graded_yet(root, command, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook
    monkeypatch.setenv("PATH", environment()["PATH"])
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "nn-from-scratch"):
        pass
    before = snapshot(root)
    line = one_line_error(*course(command, LESSON.name, "--course-dir", str(root), "--db", f"sqlite:///{path}")[::2])
    assert f"has no grades for {LESSON.name}" in line
    assert snapshot(root) == before


@pytest.mark.parametrize("args, message", [
    (["--jobs", "0"], "--jobs must be at least 1"),
    (["--shard", "1/2"], "unrecognized arguments: --shard"),
    (["--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--jobs is for local workers"),
    (["--scheduler", "127.0.0.1"], "--scheduler '127.0.0.1' is not a scheduler address"),
    (["--student", "bob"], "no submission of 01_forward_propagation from 'bob'"),
    (["--db", "not a url"], "is not a database URL"),
])
def test_bad_options(root, args, message):
    before = snapshot(root)
    line = one_line_error(*course("grade", LESSON.name, "--course-dir", str(root), *args)[::2])
    assert message in line
    assert snapshot(root) == before


def test_not_a_course_directory(tmp_path):
    line = one_line_error(*course("grade", LESSON.name, "--course-dir", str(tmp_path))[::2])
    assert "is not an nbgrader course directory" in line


def without_bubblewrap(tmp_path):
    """An environment whose PATH has this Python's tools but no bwrap."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("alembic", "python", "python3"):
        source = ROOT / ".venv" / "bin" / name
        if not source.exists():
            source = shutil.which(name)
        (tools / name).symlink_to(source)
    return {**environment(), "PATH": str(tools)}


def test_grading_without_bubblewrap_stops_with_one_line_naming_it(root, tmp_path):
    before = snapshot(root)
    done = subprocess.run([sys.executable, "-m", "course", "grade", LESSON.name, "--course-dir", str(root)],
                          cwd=ROOT, env=without_bubblewrap(tmp_path), capture_output=True, text=True,
                          timeout=300)
    line = one_line_error(done.returncode, done.stderr)
    assert "apt-get install bubblewrap" in line and "--no-sandbox" in line
    assert snapshot(root) == before


def test_no_sandbox_grades_and_the_report_says_so(root, tmp_path):
    env = without_bubblewrap(tmp_path)
    graded = subprocess.run([sys.executable, "-m", "course", "grade", LESSON.name, "--no-sandbox",
                             "--course-dir", str(root)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert graded.returncode == 0, graded.stderr
    report = subprocess.run([sys.executable, "-m", "course", "report", LESSON.name, "--course-dir", str(root)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    assert "graded WITHOUT the sandbox (--no-sandbox): ada" in report.stdout
    page = (root / "reports" / LESSON.name / "report.html").read_text()
    assert "Graded without the sandbox" in page and "ada" in page
