"""`python -m course demo`: a synthetic class graded, its report and feedback written.

The demo runs once, as an instructor runs it, in a temporary folder; the tests read what
it wrote: the gradebook, autograded/, reports/ and feedback/.
"""
import csv
import html
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from course import ROOT, lesson_files
from course.demo import MARKER, students
from course.cells import hidden_lines
from course.feedback import page_lines
from course.nbgrader_run import environment

LESSON = lesson_files.find(["01_forward_propagation"])[0]
REPORT = ("reports", LESSON.name)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "course"
    done = subprocess.run([sys.executable, "-m", "course", "demo", "--dir", str(folder)], cwd=ROOT,
                          env=environment(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, done.stdout


def test_the_class_is_a_handful_of_typical_students():
    names = set(students(LESSON))
    assert {"perfect", "blank", "crash", "two_mistakes"} <= names
    assert {"mistake_dense_forward", "mistake_sigmoid", "mistake_mlp_forward"} <= names


def test_every_student_is_autograded(demo):
    folder, _ = demo
    graded = sorted(p.name for p in (folder / "autograded").iterdir() if p.is_dir())
    assert graded == sorted(students(LESSON))
    assert (folder / "gradebook.db").is_file() and (folder / MARKER).is_file()


def test_grades_csv_is_nbgraders_export(demo):
    folder, _ = demo
    with open(folder.joinpath(*REPORT, "grades.csv")) as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(students(LESSON))
    assert float(rows["perfect"]["score"]) == float(rows["perfect"]["max_score"]) == 10
    assert float(rows["blank"]["score"]) == 0
    assert all(0 < float(rows[s]["score"]) < 10 for s in rows if s.startswith("mistake_"))


def test_report_page_links_its_plots_and_names_what_matters(demo):
    folder, stdout = demo
    report = folder.joinpath(*REPORT)
    page = (report / "report.html").read_text()
    for name in ("scores.png", "mistakes.png", "grades.csv"):
        assert f'href="{name}"' in page
    for name in ("scores.png", "mistakes.png"):
        assert (report / name).read_bytes().startswith(b"\x89PNG")
    # the most common diagnosis: two students forgot the bias
    assert "<td>dense_forward</td><td>the bias b was never added: the output is x @ W alone.</td><td class=n>2</td>" in page
    zero_or_crashed = page.split("Scored zero or crashed", 1)[1]
    assert "<td>blank</td>" in zero_or_crashed and "scored 0" in zero_or_crashed
    assert "<td>crash</td>" in zero_or_crashed and "the kernel died" in zero_or_crashed
    assert "<td>perfect</td>" not in zero_or_crashed
    assert "report.html" in stdout and "2 x dense_forward: the bias b was never added" in stdout


def test_feedback_has_no_hidden_test(demo):
    folder, _ = demo
    secret = hidden_lines(nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4))
    assert secret
    pages = sorted((folder / "feedback").glob(f"*/{LESSON.name}/{LESSON.name}.html"))
    assert len(pages) == len(students(LESSON))
    for page in pages:
        shown = page_lines(page)
        assert not secret & shown, page
        assert any("check_example" in line for line in shown)  # the visible tests are there


def test_feedback_that_would_leak_is_withheld_and_fails(demo, tmp_path):
    folder, _ = demo
    copy = tmp_path / "course"
    shutil.copytree(folder, copy)
    config = copy / "nbgrader_config.py"
    config.write_text(config.read_text().replace('"nbgrader.preprocessors.ClearHiddenTests",', ""))
    done = subprocess.run([sys.executable, "-m", "course", "feedback", LESSON.name, "--course-dir", str(copy),
                           "--student", "perfect"], cwd=ROOT, env=environment(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0
    assert "feedback withheld for 1 of 1 student(s)" in done.stderr
    assert "withheld: perfect: the page shows a hidden test line" in done.stdout
    assert not (copy / "feedback" / "perfect" / LESSON.name / f"{LESSON.name}.html").exists()


def test_demo_refuses_a_folder_that_is_not_its_own(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    done = subprocess.run([sys.executable, "-m", "course", "demo", "--dir", str(tmp_path)], cwd=ROOT,
                          env=environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "is not empty and not a demo course" in done.stderr
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_both_summaries_and_the_report_name_the_same_mistakes_and_problems(demo):
    folder, stdout = demo
    page = folder.joinpath(*REPORT, "report.html").read_text()
    table = page.split("<h2>Most common diagnosed mistakes</h2>", 1)[1].split("<h2>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td class=n>(\d+)</td></tr>", table)
    assert {function for function, _, _ in rows} == {"dense_forward", "sigmoid", "mlp_forward"}
    for function, description, n in rows:
        description = html.unescape(description)
        assert f"{n} x {function}: {description[:90]}" in stdout  # course report's summary
        assert stdout.count(f"mistake in {function}: {description}") == int(n)  # course grade's
    problems = page.split("<h2>Problems</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<tr><td>crash</td><td>killed kernel</td>" in problems
    assert "crash: killed kernel: the kernel died" in stdout  # course report's summary
    assert "crash: graded: the kernel died" in stdout  # course grade's
