"""Every catalogued mistake is failed, and named, the way grading runs it: each test cell
in the grader (course.preprocessors.verify_tests.run_test_cell), each graded function a proxy for
its answer running in a sandbox process. The other graded functions of the lesson answer
with the course's reference, as a student who got them right would.

tests/test_catalogue.py runs the same entries in-process; `course check` step 5 grades
them with nbgrader but only counts points. This is the middle: the grader's own path,
with the messages a student reads in the feedback.
"""
import inspect

import pytest

from course.isolation.sandbox import Sandbox
from course.preprocessors.verify_tests import allowed_references, run_test_cell
from helpers import catalogue, reference
from helpers.contracts import CONTRACTS
from test_catalogue import GRADED

CASES = [pytest.param(function, functions, cells, id=function)
         for _, function, functions, cells in GRADED if function]


def answer_of(function, mistake):
    if function == mistake.function:
        return mistake.as_answer()
    return "import numpy as np\n" + inspect.getsource(getattr(reference, function))


def grade(mistake, functions, cells):
    """The error messages of the test cells of ``mistake.function`` for that answer."""
    sandboxes = {}

    def sandbox(function):
        if function not in sandboxes:
            contract = CONTRACTS.get(function)
            budget = contract.budget if contract and contract.budget else 10.0
            sandboxes[function] = Sandbox(function, answer_of(function, mistake),
                                          allowed_references(function, functions), budget)
        return sandboxes[function]

    try:
        return [output.evalue for _, source in cells
                for output in run_test_cell(source, functions, sandbox)
                if output.output_type == "error"]
    finally:
        for box in sandboxes.values():
            box.close()


@pytest.mark.parametrize("function, functions, cells", CASES)
def test_each_mistake_is_failed_and_named_when_graded(function, functions, cells):
    unnamed = []
    for mistake in catalogue.entries(function, kind="mistake"):
        messages = grade(mistake, functions, cells)
        if not any(mistake.description in message for message in messages):
            unnamed.append(f"{mistake.name}: " + (messages[0][:400] if messages else "passed every test"))
    assert not unnamed, "\n".join(unnamed)
