"""A submission's own ``helpers`` decides nothing and reveals nothing.

A lesson fetched through nbgrader's exchange carries the student-safe ``helpers`` beside
the notebook, so a submission collected from a student's home holds a ``helpers/``
folder of theirs. Real grading (`course grade`, nbgrader autograde in the sandbox) in a
scratch course, lesson 01, one module-scoped run:

- ``fetched``: the solution, beside the release's helpers as fetched: full marks;
- ``wrong``: a wrong dense_forward beside the release's helpers;
- ``tampered``: the same wrong answer, with ``helpers/check.py`` and
  ``helpers/__init__.py`` replaced by versions under which every check passes, a
  module the release does not have that does the same, and a link to a solution file
  (the course's source notebook) that the answer reads and prints.

``tampered`` must score exactly what ``wrong`` scores, nothing it prints may hold the
solution, and ``submitted/`` stays byte-identical. Plain ``nbgrader autograde`` (the
README's alternative) shows a linked file's content to the student's code: that test is
an expected failure until the sandbox's view of the notebook folder is narrowed.
"""
import os
import shutil
import signal

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from attacks import LINGER, attack_processes, digest
from course import ROOT, lesson_files
from course.grade import grade
from course.nbgrader_run import nbgrader
from course.scratch import scratch_course
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
RELEASE_FOLDER = ROOT / "release" / LESSON.name
SOURCE = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
RELEASE = nbformat.read(RELEASE_FOLDER / LESSON.notebook_name, as_version=4)
ANSWERS = solutions(SOURCE)
WRONG = "def dense_forward(x, W, b):\n    return x @ W  # wrong: no bias\n"
# What a student who owns the folder would write: every check passes, whatever it is given.
PASSING_CHECK = ("class CheckFailed(AssertionError):\n    pass\n\n\n"
                 "def check_example(*args, **kwargs):\n    return None\n\n\n"
                 "def check_reference(*args, **kwargs):\n    return None\n\n\n"
                 "def __getattr__(name):\n    return lambda *args, **kwargs: None\n")
PASSING_INIT = ("import numpy as np\n"
                "np.allclose = lambda *a, **k: True\n"
                "np.testing.assert_allclose = lambda *a, **k: None\n"
                "from . import mine  # noqa: F401\n")
# ... and leaves a process behind, to be found if the tampered helpers ever ran while graded
MINE = ("import builtins, subprocess, sys\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\n"
        f"subprocess.Popen([sys.executable, '-c', {LINGER!r}], start_new_session=True)\n")
# The answer cell reads every file of its helpers folder and prints what looks like a
# solution (the marker is split, so this code's own text holds none).
SNOOP = ("import pathlib\n"
         "for _path in sorted(pathlib.Path('helpers').rglob('*')):\n"
         "    if _path.is_file():\n"
         "        _text = _path.read_text(errors='replace')\n"
         "        if 'BEGIN ' + 'SOLUTION' in _text or 'gradebook' in _path.name:\n"
         "            print('LEAKED', _path, _text[:20000])\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("course"), LESSON)
    notebooks = {"fetched": fill(RELEASE, ANSWERS),
                 "wrong": fill(RELEASE, {**ANSWERS, "dense_forward": WRONG}),
                 "tampered": fill(RELEASE, {**ANSWERS, "dense_forward": SNOOP + WRONG})}
    for student, nb in notebooks.items():
        folder = root / "submitted" / student / LESSON.name
        # what fetch_assignment gave the student: release/<lesson>/ whole
        shutil.copytree(RELEASE_FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        nbformat.write(nb, folder / LESSON.notebook_name)
    helpers = root / "submitted" / "tampered" / LESSON.name / "helpers"
    (helpers / "check.py").write_text(PASSING_CHECK)
    (helpers / "__init__.py").write_text(PASSING_INIT)
    (helpers / "mine.py").write_text(MINE)
    (helpers / "solution.txt").symlink_to(root / "source" / LESSON.name / LESSON.notebook_name)
    (helpers / "gradebook.db").symlink_to(root / "gradebook.db")
    before = digest(root / "submitted")
    assert attack_processes() == []
    results = {r.student: r for r in grade(LESSON, jobs=1, root=root, progress=False)}
    assert attack_processes() == [], "the tampered helpers ran while graded"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {s: {g.name: g.score for g in
                      gradebook.find_submission_notebook(LESSON.name, LESSON.name, s).grades}
                  for s in results if results[s].graded}
    return root, results, scores, before


def test_the_fetched_lesson_with_its_helpers_gets_full_marks(graded):
    _, results, scores, _ = graded
    assert results["fetched"].graded, results["fetched"].problems
    points = {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
              for cell in SOURCE.cells if cell.metadata.get("nbgrader", {}).get("grade")}
    assert scores["fetched"] == points


def test_the_tampered_helpers_would_pass_the_wrong_answer_in_its_own_kernel(graded, tmp_path):
    """The attack is real: run as the student runs it (their folder, a plain kernel), the
    wrong answer's test cells pass under the tampered helpers."""
    root, _, _, _ = graded
    folder = tmp_path / LESSON.name
    shutil.copytree(root / "submitted" / "tampered" / LESSON.name, folder, symlinks=True)
    nb = nbformat.read(folder / LESSON.notebook_name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    failed = {cell.metadata.nbgrader.grade_id for cell in nb.cells if cell.cell_type == "code"
              and any(o.output_type == "error" for o in cell.outputs)}
    lingering = attack_processes()  # the tampered helpers ran here: their process is found
    for pid in lingering:
        os.kill(pid, signal.SIGKILL)
    assert not failed & {"test_dense_forward", "test_dense_forward_more"}
    assert lingering, "the process check would not see what the tampered helpers start"


def test_tampered_helpers_score_what_the_wrong_answer_scores(graded):
    _, results, scores, _ = graded
    assert results["wrong"].graded and results["tampered"].graded, results["tampered"].problems
    assert scores["wrong"]["test_dense_forward"] == 0 and scores["wrong"] != scores["fetched"]
    assert scores["tampered"] == scores["wrong"]


def test_nothing_a_submission_links_to_reaches_its_code(graded):
    root, _, _, _ = graded
    folder = root / "autograded" / "tampered" / LESSON.name
    nb = nbformat.read(folder / LESSON.notebook_name, as_version=4)
    printed = [o.get("text", "") + o.get("evalue", "") for cell in nb.cells for o in cell.get("outputs", [])]
    assert printed and not [text for text in printed if "LEAKED" in text]
    copied = [str(p.relative_to(folder)) for p in folder.rglob("*")
              if p.is_file() and b"BEGIN SOLUTION" in p.read_bytes()]
    assert copied == []


def test_grading_leaves_submitted_byte_identical(graded):
    root, _, _, before = graded
    assert digest(root / "submitted") == before


def test_plain_nbgrader_autograde_shows_no_linked_file_to_student_code(graded):
    """The README's alternative to course grade, on the same tampered submission."""
    root, _, _, before = graded
    nbgrader(root, "autograde", LESSON.name, "--student=tampered", "--force")
    assert digest(root / "submitted") == before
    assert attack_processes() == [], "the tampered helpers ran while graded"
    nb = nbformat.read(root / "autograded" / "tampered" / LESSON.name / LESSON.notebook_name, as_version=4)
    printed = [o.get("text", "") for cell in nb.cells for o in cell.get("outputs", [])]
    assert printed and not [text for text in printed if "LEAKED" in text]

