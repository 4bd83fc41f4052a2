"""Every catalogued mistake fails its function's test cells with a message that names
it; every catalogued alternative passes them. The test cells are the lesson's own
(hidden tests included), run in-process: the fast twin of `course check` step 5."""
import numpy as np
import pytest

from course import CourseError, cells, lesson_files
from helpers import catalogue, reference


def graded_functions():
    """(lesson, function, the lesson's functions, [(test grade_id, source)]) for each
    graded function. A lesson that cannot be read yields one case that fails with why."""
    for lesson in lesson_files.all_lessons():
        try:
            nb = lesson_files.read(lesson)
        except CourseError as error:
            yield lesson.name, None, str(error), []
            continue
        functions = cells.functions(nb)
        for function in functions:
            tests = [(cells.grade_id(c), c.source) for c in cells.tests_of(nb, function)]
            yield lesson.name, function, functions, tests


GRADED = list(graded_functions())
CASES = [
    pytest.param(function, functions, tests, entry, id=f"{function}-{entry.kind}-{entry.name}")
    for _, function, functions, tests in GRADED if function
    for entry in catalogue.entries(function)
]


def test_every_lesson_reads():
    unreadable = [f"{lesson}: {why}" for lesson, function, why, _ in GRADED if function is None]
    assert not unreadable, "\n".join(unreadable)


def run_test_cells(tests, function, implementation, functions):
    """{grade_id: failure message} for the test cells that fail."""
    namespace = {"np": np, **{f: getattr(reference, f) for f in functions}}
    namespace[function] = implementation
    failures = {}
    for grade_id, source in tests:
        try:
            exec(compile(source, grade_id, "exec"), namespace)
        except AssertionError as error:
            failures[grade_id] = str(error)
    return failures


@pytest.mark.parametrize("function, functions, tests, entry", CASES)
def test_catalogue_entry(function, functions, tests, entry, capsys):
    failures = run_test_cells(tests, function, entry.implementation, functions)
    if entry.kind == "alternative":
        assert failures == {}, f"a correct alternative fails: {failures}"
    else:
        assert failures, f"no test of {function} catches: {entry.description}"
        assert any(entry.description in message for message in failures.values()), \
            f"the failure message does not name the mistake:\n{next(iter(failures.values()))}"


@pytest.mark.parametrize("lesson, function, functions, tests",
                         [pytest.param(*row, id=row[1]) for row in GRADED if row[1]])
def test_every_function_has_a_catalogue(lesson, function, functions, tests):
    kinds = [e.kind for e in catalogue.entries(function)]
    assert kinds.count("mistake") >= 3 and kinds.count("alternative") >= 1


def test_entries_become_answers_under_the_graded_name():
    entry = next(e for e in catalogue.entries("mlp_forward") if e.name == "recursive")
    answer = entry.as_answer()
    assert answer.startswith("def mlp_forward(x, weights, biases):")
    assert "recursive" not in answer and "@alternative" not in answer
    namespace = {"np": np, "sigmoid": reference.sigmoid, "dense_forward": reference.dense_forward}
    exec(answer, namespace)
    x, weights, biases = np.ones((2, 3)), [np.ones((3, 2)), np.ones((2, 1))], [np.zeros(2), np.zeros(1)]
    np.testing.assert_array_equal(namespace["mlp_forward"](x, weights, biases)[0],
                                  reference.mlp_forward(x, weights, biases)[0])
