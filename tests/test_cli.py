"""`python -m course`, run as a user runs it, in a scratch copy of the repository."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = "01_forward_propagation"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of the course's own files; `python -m course` there runs that copy."""
    copy = tmp_path_factory.mktemp("repo")
    for name in ("course", "helpers", "source", "release", "tests/mistakes"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "nbgrader_config.py", copy)
    return copy


def course(repo, *args):
    env = dict(os.environ, PYTHONPATH=str(repo))
    done = subprocess.run([sys.executable, "-m", "course", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout, done.stderr


def one_line_error(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_the_copy_is_what_runs(repo):
    done = subprocess.run([sys.executable, "-c", "import course, helpers; print(course.ROOT, helpers.__file__)"],
                          cwd=repo, env=dict(os.environ, PYTHONPATH=str(repo)),
                          capture_output=True, text=True)
    root, helpers_file = done.stdout.split()
    assert Path(root) == repo and Path(helpers_file).is_relative_to(repo)


def test_unknown_command(repo):
    code, _, err = course(repo, "frobnicate")
    assert code == 2
    line = one_line_error(err)
    assert "invalid choice: 'frobnicate'" in line and "--help" in line


def test_no_command(repo):
    code, _, err = course(repo)
    assert code == 2 and "required" in one_line_error(err)


def test_unknown_assignment(repo):
    code, _, err = course(repo, "build", "99_nothing")
    assert code == 2
    assert f"unknown assignment '99_nothing'; the assignments are: {LESSON}" in one_line_error(err)


def test_broken_lesson_metadata(repo):
    path = repo / "course" / "lessons" / f"{LESSON}.py"
    original = path.read_text()
    try:
        path.write_text(original.replace('"grade_id": "setup", ', "", 1))
        code, _, err = course(repo, "build", LESSON)
        assert code == 2
        line = one_line_error(err)
        assert f"course/lessons/{LESSON}.py, cell 2" in line and "lacks grade_id" in line
    finally:
        path.write_text(original)


def test_malformed_notebook_fails_the_check_with_the_fix(repo):
    notebook = repo / "release" / LESSON / f"{LESSON}.ipynb"
    original = notebook.read_text()
    try:
        notebook.write_text(original[: len(original) // 2])  # truncated JSON
        code, out, err = course(repo, "check", LESSON)
        assert code != 0 and "Traceback" not in out + err
        assert f"release/{LESSON}/{LESSON}.ipynb is not a readable notebook" in out
        assert "rebuild it with python -m course build" in out
    finally:
        notebook.write_text(original)


def test_build_is_reproducible(repo):
    before = (repo / "release" / LESSON / f"{LESSON}.ipynb").read_bytes()
    code, out, err = course(repo, "build", LESSON)
    assert code == 0, err
    assert (repo / "release" / LESSON / f"{LESSON}.ipynb").read_bytes() == before
    source = json.loads((repo / "source" / LESSON / f"{LESSON}.ipynb").read_text())
    assert "jupytext" not in source["metadata"]
    assert all(not c.get("outputs") for c in source["cells"])
    # the notebook, and the lesson's student-safe helpers (which release/ and the exchange carry)
    assert sorted(p.name for p in (repo / "source" / LESSON).iterdir()) == [f"{LESSON}.ipynb", "helpers"]
    assert not (repo / "gradebook.db").exists()
