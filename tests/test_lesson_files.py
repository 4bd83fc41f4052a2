"""A lesson with broken metadata is refused with one line that names the cell and the fix."""
import pytest

from course import CourseError, cells
from course.lesson_files import Lesson, read

HEADER = '# %% {kind}nbgrader={{"grade": {grade}, "grade_id": "{id}", "locked": {locked}, {points}"schema_version": 3, "solution": {solution}, "task": false}}'


def cell(id, source, kind="", grade="false", locked="true", solution="false", points=""):
    return HEADER.format(kind=kind, grade=grade, id=id, locked=locked, solution=solution,
                         points=points) + "\n" + source + "\n"


GOOD = [
    cell("intro", "# # A lesson", kind="[markdown] "),
    cell("sigmoid", "def sigmoid(z):\n    ### BEGIN SOLUTION\n    return z\n    ### END SOLUTION",
         locked="false", solution="true"),
    cell("test_sigmoid", "assert sigmoid(1) == 1", grade="true", points='"points": 1, '),
]


def lesson_file(tmp_path, cells):
    path = tmp_path / "01_sample.py"
    path.write_text("\n".join(cells))
    return Lesson("01_sample", path)


def refusal(tmp_path, cells):
    with pytest.raises(CourseError) as raised:
        read(lesson_file(tmp_path, cells))
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_good_lesson_reads_with_ids_and_no_jupytext_metadata(tmp_path):
    nb = read(lesson_file(tmp_path, GOOD))
    assert [c.id for c in nb.cells] == ["intro", "sigmoid", "test_sigmoid"]
    assert "jupytext" not in nb.metadata
    assert nb.metadata.kernelspec.name == "python3"


def test_cell_without_metadata(tmp_path):
    message = refusal(tmp_path, GOOD + ["# %%\nprint('hi')\n"])
    assert "cell 4 (\"print('hi')\") has no nbgrader metadata" in message


def test_header_that_is_not_json(tmp_path):
    broken = GOOD[0].replace('"task": false}', '"task": false')
    assert "not valid JSON" in refusal(tmp_path, [broken] + GOOD[1:])


def test_missing_key(tmp_path):
    broken = GOOD[0].replace('"locked": true, ', "")
    assert "nbgrader metadata lacks locked" in refusal(tmp_path, [broken] + GOOD[1:])


def test_bad_grade_id_characters(tmp_path):
    broken = GOOD[0].replace('"intro"', '"an intro"')
    assert "invalid nbgrader metadata" in refusal(tmp_path, [broken] + GOOD[1:])


def test_graded_cell_without_points(tmp_path):
    broken = GOOD[2].replace('"points": 1, ', "")
    assert "does not have points" in refusal(tmp_path, GOOD[:2] + [broken])


def test_duplicate_grade_id(tmp_path):
    assert "grade_id 'intro' is used twice" in refusal(tmp_path, GOOD + [GOOD[0]])


def test_solution_cell_must_define_its_function(tmp_path):
    broken = GOOD[1].replace("def sigmoid(z)", "def sigma(z)")
    assert "must be the name of the function it defines" in refusal(tmp_path, [GOOD[0], broken, GOOD[2]])


def test_solution_needs_a_contract(tmp_path):
    broken = GOOD[1].replace("sigmoid", "softplus")
    assert "needs a contract" in refusal(tmp_path, [GOOD[0], broken])


def test_test_cell_must_name_its_function(tmp_path):
    broken = GOOD[2].replace('"test_sigmoid"', '"check_sigmoid"')
    assert "must start with test_<function>" in refusal(tmp_path, GOOD[:2] + [broken])


def test_function_without_tests(tmp_path):
    assert "has no test cell" in refusal(tmp_path, GOOD[:2])


def test_unlocked_plain_text_cell_is_refused(tmp_path):
    loose = GOOD[0].replace('"locked": true', '"locked": false')
    assert "neither locked, graded nor a solution" in refusal(tmp_path, [loose] + GOOD[1:])


def test_unlocked_plain_code_cell_becomes_the_students_own(tmp_path):
    """Without nbgrader metadata, so that nbgrader neither locks, grades nor restores it."""
    own = cell("try_it", "print(sigmoid(2.0))", locked="false")
    nb = read(lesson_file(tmp_path, GOOD + [own]))
    assert nb.cells[-1].id == "try_it" and "nbgrader" not in nb.cells[-1].metadata
    assert cells.functions(nb) == ["sigmoid"] and not cells.is_test(nb.cells[-1])
