"""A cell the lesson gives the student for an ungraded exercise is theirs: editable in
the release, never graded, never restored, and whatever they write there costs no points.

Lesson 02's Exercise 4 offers one (``your_own_steps``). The grading test hands in, with
the instructor's answers, that cell edited in three ways and grades them with real
nbgrader in sandboxes (``course grade``).
"""

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook

from course import ROOT, cells, lesson_files
from course.grade import grade
from course.scratch import scratch_course, submit
from course.submissions import fill, solutions
from helpers import reference

LESSON = lesson_files.find(["02_chain_rule"])[0]
SOURCE = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
RELEASE = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
OWN = "your_own_steps"
MINE = ("for h in [1e-3, 1e-7, 1e-12]:\n"
        "    dw_h = numerical_gradient(lambda w_: neuron_gradients(x, w_, b, y)[0], w, h=h)\n"
        "    print(f'mine: h = {h:.0e}: {rel_error(dw, dw_h):.1e}')\n")
EDITS = {
    "edited": MINE,
    "raises": "raise ValueError('my own experiment went wrong')\n",
    # the student's cell may even redefine a graded function: the answer cell still counts
    "redefines": MINE + "def neuron_gradients(x, w, b, y):\n    return 0.0, 0 * w, 0.0\n",
}


def own_cell(nb):
    return next(cell for cell in nb.cells if cell.get("id") == OWN)


def test_the_release_gives_the_student_an_editable_cell_after_the_demo():
    ids = [cell.get("id") for cell in RELEASE.cells]
    assert ids.index(OWN) == ids.index("gradient_check_demo") + 1
    cell = own_cell(RELEASE)
    assert cell.cell_type == "code" and cells.is_students_own(cell)
    assert cell.metadata.get("editable", True) and cell.metadata.get("deletable", True)
    assert OWN not in cells.functions(RELEASE) and not cells.is_test(cell)
    # the lesson's own locked cells stay locked
    demo = cells.find(RELEASE, "gradient_check_demo")
    assert cells.nbgrader(demo)["locked"]


def test_the_cell_runs_and_shows_section_4s_best_step():
    """Run as released (after the demo cell), with correct functions: it prints one
    relative error per step, and h = 1e-5 (near eps^(1/3), section 4) beats 1e-1 and 1e-9."""
    namespace = {"np": np, **{name: getattr(reference, name) for name in
                              ("sigmoid", "neuron_gradients", "numerical_gradient", "rel_error")}}
    printed = []
    namespace["print"] = lambda *args: printed.append(" ".join(map(str, args)))
    exec(cells.find(RELEASE, "gradient_check_demo").source, namespace)
    printed.clear()
    exec(own_cell(RELEASE).source, namespace)
    errors = {line.split(":")[0]: float(line.rsplit(" ", 1)[1]) for line in printed}
    assert list(errors) == ["h = 1e-01", "h = 1e-05", "h = 1e-09"]
    assert errors["h = 1e-05"] < min(errors["h = 1e-01"], errors["h = 1e-09"]) and errors["h = 1e-05"] < 1e-9


def test_a_lesson_file_makes_an_unflagged_code_cell_the_students_own():
    nb = lesson_files.read(LESSON)
    cell = own_cell(nb)
    assert "nbgrader" not in cell.metadata and cell.source == own_cell(SOURCE).source


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("course"), LESSON)
    answers = solutions(SOURCE)
    for student, source in {"untouched_own_cell": None, **EDITS}.items():
        nb = fill(RELEASE, answers)
        if source is not None:
            own_cell(nb).source = source
        submit(root, LESSON, student, nb)
    results = {r.student: r for r in grade(LESSON, jobs=2, root=root, progress=False)}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {student: gradebook.find_submission_notebook(LESSON.name, LESSON.name, student).score
                  for student in results}
        points = gradebook.find_notebook(LESSON.name, LESSON.name).max_score
    return root, results, scores, points


@pytest.mark.parametrize("student", ["untouched_own_cell", *EDITS])
def test_whatever_the_student_writes_there_costs_no_points(graded, student):
    root, results, scores, points = graded
    assert results[student].graded, results[student].problems
    assert scores[student] == points > 0


@pytest.mark.parametrize("student", EDITS)
def test_grading_keeps_the_students_cell_as_they_wrote_it(graded, student):
    root, *_ = graded
    autograded = nbformat.read(root / "autograded" / student / LESSON.name / LESSON.notebook_name,
                               as_version=4)
    assert own_cell(autograded).source == EDITS[student]
    assert "nbgrader" not in own_cell(autograded).metadata


def test_the_students_output_is_theirs(graded):
    root, *_ = graded
    autograded = nbformat.read(root / "autograded" / "edited" / LESSON.name / LESSON.notebook_name,
                               as_version=4)
    text = "".join(output.get("text", "") for output in own_cell(autograded).outputs)
    assert text.count("mine: h = ") == 3
