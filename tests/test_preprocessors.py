"""Each of the course's nbgrader preprocessors (course/preprocessors/) on its own, called as
nbgrader calls it: ``preprocess(nb, resources)``. GradingExecute's time limits are tested in
tests/test_grading_policy.py; all three together, by real nbgrader autograde, in
tests/test_grading_integrity.py and tests/test_grading_isolation.py."""
import logging

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

from course.preprocessors.outputs import error_output, stream_output
from course.preprocessors.repair_submission import RepairSubmission
from course.preprocessors.verify_tests import VerifyTests, answer_source, graded_functions

LESSON = "01_forward_propagation"


def cell(source, grade_id=None, solution=False, grade=False, locked=False, points=None):
    made = new_code_cell(source)
    if grade_id is not None:
        made.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                                     "schema_version": 3, "solution": solution, "task": False,
                                     **({"points": points} if points else {})}
    return made


def answer(name, source):
    return cell(source, name, solution=True)


def graded_test(name, source):
    return cell(source, name, grade=True, locked=True, points=1)


@pytest.fixture
def gradebook(tmp_path):
    """The instructor's version in a gradebook, as generate_assignment records it: an answer
    cell ``sigmoid``, a test cell ``test_sigmoid`` and a locked demo cell ``demo``."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as book:
        book.add_assignment(LESSON)
        book.add_notebook(LESSON, LESSON)
        book.add_solution_cell("sigmoid", LESSON, LESSON)
        book.add_grade_cell("test_sigmoid", LESSON, LESSON, max_score=1, cell_type="code")
        for name, locked in (("sigmoid", False), ("test_sigmoid", True), ("demo", True)):
            book.add_source_cell(name, LESSON, LESSON, cell_type="code", locked=locked,
                                 source="", checksum=None)
    return {"nbgrader": {"db_url": url, "assignment": LESSON, "notebook": LESSON, "student": "s"}}


def repaired(nb, resources, caplog):
    with caplog.at_level(logging.WARNING):
        nb, _ = RepairSubmission().preprocess(nb, resources)
    return nb, [r.getMessage() for r in caplog.records]


def test_repair_leaves_an_intact_submission_alone(gradebook, caplog):
    nb = new_notebook(cells=[answer("sigmoid", "def sigmoid(z):\n    return z"),
                             graded_test("test_sigmoid", "assert True"), cell("x = 1", "demo", locked=True)])
    before = nbformat.writes(nb)
    nb, warned = repaired(nb, gradebook, caplog)
    assert nbformat.writes(nb) == before and warned == []


def test_an_unknown_grade_id_makes_an_ordinary_cell(gradebook, caplog):
    nb = new_notebook(cells=[answer("sigmoid", "def sigmoid(z):\n    return z"),
                             cell("print(1)", "my_own_test", grade=True, points=5)])
    nb, warned = repaired(nb, gradebook, caplog)
    assert "nbgrader" not in nb.cells[1].metadata
    assert warned == ["submission: cell 2's grade_id 'my_own_test' is not in the assignment; "
                      "treated as an ordinary cell"]


def test_of_two_cells_with_one_grade_id_the_first_keeps_it(gradebook, caplog):
    nb = new_notebook(cells=[answer("sigmoid", "def sigmoid(z):\n    return z"),
                             answer("sigmoid", "def sigmoid(z):\n    return -z")])
    nb, warned = repaired(nb, gradebook, caplog)
    assert nb.cells[0].metadata["nbgrader"]["grade_id"] == "sigmoid"
    assert "nbgrader" not in nb.cells[1].metadata
    assert warned == ["submission: cell 2's grade_id 'sigmoid' is used twice; treated as an ordinary cell"]


def test_an_answer_cell_that_lost_its_metadata_becomes_the_answer_again(gradebook, caplog):
    nb = new_notebook(cells=[new_markdown_cell("def sigmoid( in prose is not an answer"),
                             cell("import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))"),
                             graded_test("test_sigmoid", "assert True")])
    nb, warned = repaired(nb, gradebook, caplog)
    assert "nbgrader" not in nb.cells[0].metadata
    assert nb.cells[1].metadata["nbgrader"] == {"grade": False, "grade_id": "sigmoid", "locked": False,
                                                "schema_version": 3, "solution": True, "task": False}
    assert warned == ["submission: the answer cell for sigmoid had lost its metadata; "
                      "cell 2 is graded as that answer"]


def test_metadata_that_is_not_a_dict_is_dropped_and_ids_made_unique(gradebook, caplog):
    nb = new_notebook(cells=[cell("a = 1"), cell("b = 2"), answer("sigmoid", "def sigmoid(z):\n    return z")])
    nb.cells[0].metadata["nbgrader"] = "tampered"
    nb.cells[1].id = nb.cells[0].id
    nb, _ = repaired(nb, gradebook, caplog)
    assert "nbgrader" not in nb.cells[0].metadata
    assert len({c.id for c in nb.cells}) == 3
    nbformat.validate(nb)


def test_graded_functions_come_from_the_gradebook_not_the_submission(gradebook):
    """A student who removed the answer cell's metadata cannot hide sigmoid from grading."""
    stripped = new_notebook(cells=[cell("def sigmoid(z):\n    return z")])
    assert graded_functions(stripped, gradebook) == ["sigmoid"]
    assert graded_functions(new_notebook(cells=[answer("relu", "def relu(z): ...")]), None) == ["relu"]


def test_the_answer_is_the_answer_cell_else_the_last_cell_that_defines_it():
    nb = new_notebook(cells=[cell("def sigmoid(z):\n    return 1"), cell("def sigmoid(z):\n    return 2"),
                             graded_test("test_sigmoid", "def sigmoid(z):\n    return 3")])
    assert answer_source(nb, "sigmoid").endswith("return 2")  # never a test cell's
    nb.cells.insert(0, answer("sigmoid", "def sigmoid(z):\n    return 0"))
    assert answer_source(nb, "sigmoid").endswith("return 0")
    assert "no answer cell defines relu" in answer_source(nb, "relu")


def test_outputs_are_what_nbgrader_scores():
    nbformat.validate(new_notebook(cells=[new_code_cell("", outputs=[stream_output("hi\n"),
                                                                     error_output("AssertionError", "no")])]))
    assert error_output("AssertionError", "no").traceback == ["AssertionError: no"]


@pytest.mark.sandbox
@pytest.mark.parametrize("student, expected", [
    ("import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, float)))", []),
    ("def sigmoid(z):\n    return z", ["AssertionError"]),
    ("def sigmoid(z):\n    raise ValueError('mine')", ["ValueError"]),
])
def test_verify_tests_reruns_each_test_cell_against_the_sandboxed_answer(gradebook, student, expected):
    """The test cell runs in the grader; its outputs are what it printed and how it failed."""
    test = ("import numpy as np\nprint('checking')\n"
            "assert abs(sigmoid(0.0) - 0.5) < 1e-12, 'sigmoid(0) should be 0.5'\n")
    nb = new_notebook(cells=[answer("sigmoid", student), graded_test("test_sigmoid", test),
                             cell("x = 1", "demo", locked=True)])
    nb, _ = VerifyTests().preprocess(nb, gradebook)
    outputs = nb.cells[1].outputs
    assert outputs[0] == stream_output("checking\n")
    assert [o.ename for o in outputs[1:]] == expected
    assert nb.cells[0].outputs == [] and nb.cells[2].outputs == []  # only test cells are run
