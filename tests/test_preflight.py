"""``course check``'s own logic, on made-up notebooks (the command itself runs in make test)."""
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.preflight import named
from helpers import catalogue


def autograded(evalue):
    answer = new_code_cell("def sigmoid(z): ...")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "sigmoid", "locked": False,
                                   "schema_version": 3, "solution": True, "task": False}
    test = new_code_cell("check_example(...)", outputs=[
        new_output("error", ename="AssertionError", evalue=evalue, traceback=[])])
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_sigmoid_hidden", "locked": True,
                                 "points": 1, "schema_version": 3, "solution": False, "task": False}
    return new_notebook(cells=[answer, test])


def test_a_mistake_is_named_only_by_its_own_description_in_its_tests_messages():
    entry = catalogue.entries("sigmoid", kind="mistake")[0]
    assert named(autograded(f"sigmoid is not right: it looks like {entry.description}."), entry)
    assert not named(autograded("sigmoid is not right."), entry)
    assert not named(None, entry)  # no autograded notebook: nothing was named
