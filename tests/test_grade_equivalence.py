"""`course grade --jobs N` gives exactly the scores of serial `nbgrader autograde`.

One synthetic class of lesson 01 (right, blank, typical mistakes, a kernel crash, an
answer cell that raises) is copied into three scratch courses. The first is graded by
plain `nbgrader autograde` with the course's nbgrader_config.py, the others by
`python -m course grade --jobs 1` and `--jobs 2`; every grade of every student must be
the same, and so must every mistake the check harness diagnosed.
"""
import shutil
import subprocess
import sys

import nbformat
import pytest
from graded import diagnoses, scores

from course import ROOT, lesson_files
from course.demo import students as demo_students
from course.nbgrader_run import environment, nbgrader
from course.scratch import scratch_course, submit
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]


def synthetic_class():
    class_ = demo_students(LESSON)
    source = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
    release = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
    answers = solutions(source)
    class_["raises"] = fill(release, {**answers, "sigmoid": "raise ValueError('not today')\n"})
    class_["wrong_type"] = fill(release, {**answers, "dense_forward":
                                          "def dense_forward(x, W, b):\n    return (x @ W + b).tolist()\n"})
    return class_


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = scratch_course(tmp_path_factory.mktemp("class"), LESSON)
    class_ = synthetic_class()
    for student, nb in class_.items():
        submit(base, LESSON, student, nb)
    runs = {}
    plain = tmp_path_factory.mktemp("plain") / "course"
    shutil.copytree(base, plain)
    nbgrader(plain, "autograde", LESSON.name, "--force")
    runs["nbgrader autograde"] = plain
    for jobs in (1, 2):
        root = tmp_path_factory.mktemp(f"jobs{jobs}") / "course"
        shutil.copytree(base, root)
        done = subprocess.run([sys.executable, "-m", "course", "grade", LESSON.name, "--jobs", str(jobs),
                               "--course-dir", str(root)], cwd=ROOT, env=environment(),
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        runs[f"course grade --jobs {jobs}"] = root
    return sorted(class_), runs




def test_every_student_is_graded_by_every_way(graded):
    students, runs = graded
    for way, root in runs.items():
        assert sorted(scores(root, LESSON)) == students, way


@pytest.mark.parametrize("way", ["course grade --jobs 1", "course grade --jobs 2"])
def test_scores_are_those_of_serial_nbgrader_autograde(graded, way):
    _, runs = graded
    assert scores(runs[way], LESSON) == scores(runs["nbgrader autograde"], LESSON)


@pytest.mark.parametrize("way", ["course grade --jobs 1", "course grade --jobs 2"])
def test_diagnosed_mistakes_are_those_of_serial_nbgrader_autograde(graded, way):
    students, runs = graded
    for student in students:
        assert diagnoses(runs[way], LESSON, student) == diagnoses(runs["nbgrader autograde"], LESSON, student), student


def test_the_class_spans_right_wrong_and_crashing(graded):
    _, runs = graded
    got = scores(runs["nbgrader autograde"], LESSON)
    total = {s: sum(v[0] for v in cells.values()) for s, cells in got.items()}
    top = sum(v[1] for v in got["perfect"].values())
    assert total["perfect"] == top and total["blank"] == 0
    assert 0 < total["crash"] < top and 0 < total["raises"] < top and 0 < total["wrong_type"] < top
    assert all(0 < total[s] < top for s in total if s.startswith("mistake_"))
