"""The first, visible test of each function of lessons 04-08 catches its common slips on
its own: each slip below fails the function's first test cell (the one whose grade_id is
``test_<function>``, which holds no hidden test), with a message that names it.

The slips are the catalogue's entries (tests/mistakes/<function>.py); the test cells are
the lesson's own, run in-process as tests/test_catalogue.py runs them.
"""
import numpy as np
import pytest

from course import cells, lesson_files
from helpers import catalogue, reference

SLIPS = [
    ("rmsprop_step", "eps_inside_sqrt"),
    ("adam_step", "eps_inside_sqrt"),
    ("softmax_cross_entropy", "global_max"),
    ("hinge_loss", "own_term_subtracted"),
    ("batchnorm_forward", "variance_by_cancellation"),
    ("softmax", "normalised_over_columns"),
    ("softmax", "row_max_column_sums"),
]


def first_test_cell(function):
    """(the source of ``function``'s first test cell, the graded functions of its lesson)."""
    for lesson in lesson_files.all_lessons():
        nb = lesson_files.read(lesson)
        if function in cells.functions(nb):
            return cells.tests_of(nb, function)[0].source, cells.functions(nb)
    raise LookupError(f"no lesson grades {function}")


def run_first_test(function, implementation):
    """The AssertionError's message when the first test cell fails, else None."""
    source, functions = first_test_cell(function)
    assert "BEGIN HIDDEN TESTS" not in source, f"test_{function} should be visible as a whole"
    namespace = {"np": np, **{f: getattr(reference, f) for f in functions}}
    namespace[function] = implementation
    try:
        exec(compile(source, f"test_{function}", "exec"), namespace)
    except AssertionError as error:
        return str(error)
    return None


@pytest.mark.parametrize("function, name", SLIPS, ids=[f"{f}-{n}" for f, n in SLIPS])
def test_the_visible_test_alone_names_the_slip(function, name, capsys):
    entry = next(e for e in catalogue.entries(function, kind="mistake") if e.name == name)
    message = run_first_test(function, entry.implementation)
    assert message is not None, f"the visible test of {function} passes the slip: {entry.description}"
    assert entry.description in message, f"the message does not name the slip:\n{message}"


@pytest.mark.parametrize("function", sorted({f for f, _ in SLIPS}))
def test_the_visible_test_passes_the_reference(function, capsys):
    assert run_first_test(function, getattr(reference, function)) is None
