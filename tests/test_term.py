"""A lesson graded as at a school: a due date set with nbgrader's own command, on-time,
late, renamed, unreadable and broken submissions, and a failed nbgrader run before ours.

One scratch course is graded once with ``python -m course grade --jobs 2`` and reported
with ``python -m course report`` (real nbgrader, real sandbox); the tests read the
commands' output, the gradebook, ``submitted/`` and ``reports/<lesson>/``.
"""
import csv
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

from attacks import digest
from course import ROOT, lesson_files
from course.nbgrader_run import environment, nbgrader, new_course, why_failed
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
SOURCE = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
RELEASE = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
ANSWERS = solutions(SOURCE)
DUE = "2026-01-10 17:00:00 UTC"
SIGN_FLIPPED = ("import numpy as np\ndef sigmoid(z):\n    e = np.exp(-np.abs(z))\n"
                "    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))\n")
FULL = 10.0


def course(*args, root, timeout=600):
    return subprocess.run([sys.executable, "-m", "course", *args, "--course-dir", str(root)],
                          cwd=root, env=environment(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = new_course(tmp_path_factory.mktemp("term"))
    shutil.copytree(ROOT / "source" / LESSON.name, root / "source" / LESSON.name)
    # nbgrader's documented way to set a due date, before anything is generated or graded
    nbgrader(root, "db", "assignment", "add", LESSON.name, f"--duedate={DUE}")
    perfect = nbformat.writes(fill(RELEASE, ANSWERS))
    class_ = {  # student: (file name, text, timestamp.txt or None)
        "bad_timestamp": (LESSON.notebook_name, perfect, "next tuesday"),
        "late": (LESSON.notebook_name, perfect, "2026-01-12 18:30:00.000000 UTC"),
        "ontime": (LESSON.notebook_name, perfect, "2026-01-10 16:00:00.000000 UTC"),
        "renamed": ("my lesson 1.ipynb", perfect, None),
        "unreadable": (LESSON.notebook_name, perfect[:400], "2026-01-10 12:00:00.000000 UTC"),
        "wrong_sigmoid": (LESSON.notebook_name,
                          nbformat.writes(fill(RELEASE, {**ANSWERS, "sigmoid": SIGN_FLIPPED})), None),
    }
    for student, (name, text, stamp) in class_.items():
        folder = root / "submitted" / student / LESSON.name
        folder.mkdir(parents=True)
        (folder / name).write_text(text)
        if stamp:
            (folder / "timestamp.txt").write_text(stamp)
    # A plain nbgrader autograde now fails (the assignment has no notebooks) and leaves a
    # submission row behind, as in the issue: it must not block course grade.
    failed = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", LESSON.name, "--student=ontime",
                             f"--CourseDirectory.root={root}"], cwd=root, env=environment(),
                            capture_output=True, text=True, timeout=300)
    assert failed.returncode != 0 and "No notebooks found" in failed.stdout + failed.stderr
    before = digest(root / "submitted")
    start = time.perf_counter()
    graded = course("grade", LESSON.name, "--jobs", "2", root=root)
    seconds = time.perf_counter() - start
    after = digest(root / "submitted")
    reported = course("report", LESSON.name, root=root)
    assert reported.returncode == 0, reported.stderr
    return root, graded, seconds, before, after, reported


def line_of(output, student):
    return next((line for line in output.splitlines() if line.strip().startswith(f"{student}:")), "")


def scores(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nn-from-scratch") as gradebook:
        return {s.student.id: (s.score, s.total_seconds_late, s.timestamp)
                for s in gradebook.assignment_submissions(LESSON.name)}


def test_the_run_ends_and_grades_every_readable_notebook(term):
    root, graded, seconds, *_ = term
    print(f"course grade --jobs 2, 6 students: {seconds:.1f} s")
    assert graded.returncode == 1, graded.stderr  # bad_timestamp and unreadable are not graded
    assert graded.stdout.startswith(f"{LESSON.name}: 4 of 6 students graded"), graded.stdout
    got = scores(root)
    assert {s: got[s][0] for s in ("ontime", "late", "renamed")} == {"ontime": FULL, "late": FULL, "renamed": FULL}
    assert 0 < got["wrong_sigmoid"][0] < FULL


def test_a_timestamp_nbgrader_cannot_read_is_named(term):
    _, graded, *_ = term
    line = line_of(graded.stdout, "bad_timestamp")
    assert "NOT GRADED: timestamp.txt says 'next tuesday', which is not a date and time" in line, graded.stdout
    assert "bad_timestamp" not in scores(term[0])  # a readable notebook: fixed and graded, not recorded as 0


def test_a_worker_whose_students_fail_at_once_still_ends(term, tmp_path):
    """nbgrader failing at once (here: no such submission) makes a worker's report follow
    its "ready" line at once; the run must see both and end."""
    root, *_ = term
    script = ("from pathlib import Path\nfrom course import lesson_files\n"
              "from course.pool import run_pool, worker_url\n"
              "lesson = lesson_files.find(['01_forward_propagation'])[0]\n"
              f"reports = run_pool(Path({str(root)!r}), lesson, worker_url('sqlite:///{root}/gradebook.db'), "
              f"['ghost1', 'ghost2', 'ghost3'], 2, True, {str(tmp_path)!r})\n"
              "print(sorted((r.student, r.success, r.lost) for r in reports))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("False, None)") == 3, done.stdout  # each reported, none lost


def test_lateness_is_recorded_and_shown(term):
    root, graded, *_, reported = term
    got = scores(root)
    assert got["late"][1] == 2 * 86400 + 5400 and got["ontime"][1] == 0
    assert "submitted 2 d 1 h 30 min late" in line_of(graded.stdout, "late")
    assert "late" not in line_of(graded.stdout, "ontime")
    assert "late: late: submitted 2 d 1 h 30 min late; no penalty" in reported.stdout, reported.stdout
    html = (root / "reports" / LESSON.name / "report.html").read_text()
    assert "<td>late</td><td>late</td><td>submitted 2 d 1 h 30 min late; no penalty</td>" in html


def test_submitted_is_never_written(term):
    _, _, _, before, after, _ = term
    assert "renamed/01_forward_propagation/my lesson 1.ipynb" in before
    assert after == before  # the same files, byte for byte


def test_an_unreadable_notebook_is_recorded_as_zero_with_its_reason(term):
    root, graded, *_ = term
    assert "cannot be read as a notebook" in line_of(graded.stdout, "unreadable")
    got = scores(root)
    assert got["unreadable"][0] == 0 and str(got["unreadable"][2]).startswith("2026-01-10 12:00")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nn-from-scratch") as gradebook:
        notebook = gradebook.find_submission_notebook(LESSON.name, LESSON.name, "unreadable")
        assert all(g.score == 0 for g in notebook.grades) and notebook.grades
        assert all("cannot be read as a notebook" in c.auto_comment for c in notebook.comments)
    with open(root / "reports" / LESSON.name / "grades.csv") as rows:
        listed = {row["student_id"]: row for row in csv.DictReader(rows)}
    assert {"late", "ontime", "renamed", "unreadable", "wrong_sigmoid"} <= set(listed)
    assert float(listed["unreadable"]["score"]) == 0


def test_the_problems_table_lists_the_run(term):
    root, graded, *_, reported = term
    html = (root / "reports" / LESSON.name / "report.html").read_text()
    table = html.split("<h2>Problems</h2>", 1)[1].split("<h2>", 1)[0]
    for student, kind in [("unreadable", "unreadable"), ("renamed", "renamed"), ("late", "late"),
                          ("bad_timestamp", "bad timestamp")]:
        assert f"<tr><td>{student}</td><td>{kind}</td>" in table, (student, kind)
        assert f"{student}: {kind}: " in reported.stdout
    assert "<td>ontime</td>" not in table
    assert "notebook saved as my lesson 1.ipynb" in line_of(graded.stdout, "renamed")


def test_summary_and_report_name_the_same_mistakes(term):
    root, graded, *_, reported = term
    mistake = "the sign of z is flipped"
    assert f"mistake in sigmoid: {mistake}" in line_of(graded.stdout, "wrong_sigmoid"), graded.stdout
    assert f"1 x sigmoid: {mistake}" in reported.stdout
    assert mistake in (root / "reports" / LESSON.name / "report.html").read_text()
    with open(root / "reports" / LESSON.name / "mistakes.csv") as rows:
        found = list(csv.DictReader(rows))
    assert found and all(row["student"] == "wrong_sigmoid" and row["function"] == "sigmoid" for row in found)
    assert {row["test_cell"] for row in found} <= {"test_sigmoid", "test_sigmoid_more"}
    assert any(row["diagnosis"].startswith(mistake) for row in found)


def test_a_second_run_grades_the_same(term):
    root, *_ = term
    first = scores(root)
    again = course("grade", LESSON.name, "--student", "late", "--student", "unreadable", root=root)
    assert again.returncode == 1 and "1 of 2 students graded" in again.stdout, again.stdout + again.stderr
    assert {s: scores(root)[s][:2] for s in ("late", "unreadable")} == {s: first[s][:2] for s in ("late", "unreadable")}


def test_a_penalty_set_in_nbgrader_config_is_applied_to_late_work_only(term):
    """Last: it changes the course's configuration. nbgrader's LateSubmissionPlugin with
    the penalty the README documents (late work gets 0)."""
    root, *_ = term
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    again = course("grade", LESSON.name, "--student", "late", "--student", "ontime", root=root)
    assert again.returncode == 0, again.stdout + again.stderr
    reported = course("report", LESSON.name, root=root)
    assert "late: late: submitted 2 d 1 h 30 min late; penalty 10 points" in reported.stdout, reported.stdout
    with open(root / "reports" / LESSON.name / "grades.csv") as rows:
        listed = {row["student_id"]: row for row in csv.DictReader(rows)}
    assert (float(listed["late"]["raw_score"]), float(listed["late"]["score"])) == (FULL, 0)
    assert float(listed["ontime"]["score"]) == FULL and float(listed["ontime"]["late_submission_penalty"]) == 0


def test_the_failure_reason_is_nbgraders_own_lines():
    # the shape of nbgrader's log when an assignment has no notebooks (as it printed it)
    log = ("[WARNING] Skipping unknown notebook: /c/submitted/a/l/l.ipynb\n"
           "[ERROR] No notebooks found, did you forget to run 'nbgrader generate_assignment'?\n"
           "[ERROR] There was an error processing assignment: /c/submitted/a/l\n"
           "[ERROR] Traceback (most recent call last):\n"
           "    nbgrader.converters.base.NbGraderException: No notebooks found\n"
           "[ERROR] Please see the the above traceback for details on the specific errors on the above failures.\n"
           "nbgrader.converters.base.NbGraderException: Please see the the above traceback for details\n")
    assert why_failed(log) == "No notebooks found, did you forget to run 'nbgrader generate_assignment'?"
