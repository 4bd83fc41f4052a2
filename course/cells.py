"""What each cell of a course notebook is: the one place that says so.

Every notebook the course handles (a lesson as :func:`course.lesson_files.read` returns it, its
``source/`` and ``release/`` notebooks, a student's submission) has four kinds of cell, told
apart by their nbgrader metadata alone:

- a **graded function**: a code cell marked as a solution, whose ``grade_id`` is the
  function's name;
- a **test**: a graded code cell that is not a solution, whose ``grade_id`` is
  ``test_<function>`` or ``test_<function>_<more>``;
- the **student's own**: a code cell without nbgrader metadata. The lesson may offer one
  for an ungraded exercise, and a student may add more. nbgrader neither grades nor
  overwrites it;
- the lesson's locked text and code.
"""
from __future__ import annotations

from typing import Any, cast

from nbformat import NotebookNode


def nbgrader(cell: NotebookNode) -> dict[str, Any]:
    """The cell's nbgrader metadata; {} for a student's own cell (or metadata that is not a
    dict, which a hand-edited submission can have)."""
    meta = cell.metadata.get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader(cell).get("grade_id")


def is_function(cell: NotebookNode) -> bool:
    """A graded function's answer cell."""
    return cell.cell_type == "code" and bool(nbgrader(cell).get("solution"))


def is_test(cell: NotebookNode) -> bool:
    meta = nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_students_own(cell: NotebookNode) -> bool:
    """A code cell the student may change freely: nothing of it is graded or restored."""
    return cell.cell_type == "code" and not nbgrader(cell)


def functions(nb: NotebookNode) -> list[str]:
    """The notebook's graded functions, in order."""
    # a solution or test cell has a grade_id: nbgrader's schema requires one (lesson_files.read checks it,
    # RepairSubmission strips metadata without a known grade_id from a submission)
    return [cast(str, grade_id(cell)) for cell in nb.cells if is_function(cell)]


def tested_function(test_id: str, names: list[str]) -> str | None:
    """The function a test cell tests: the longest name f with ``test_id`` equal to
    ``test_f`` or starting with ``test_f_`` (``test_sigmoid_backward`` tests
    ``sigmoid_backward``, not ``sigmoid``)."""
    matches = [f for f in names if test_id == f"test_{f}" or test_id.startswith(f"test_{f}_")]
    return max(matches, key=len) if matches else None


def tests_of(nb: NotebookNode, function: str) -> list[NotebookNode]:
    """The test cells of ``function``, in order (the first is the visible one)."""
    names = functions(nb)
    return [cell for cell in nb.cells
            if is_test(cell) and tested_function(cast(str, grade_id(cell)), names) == function]


def answers(nb: NotebookNode) -> dict[str, str]:
    """Each graded function's cell source, by name."""
    return {cast(str, grade_id(cell)): cell.source for cell in nb.cells if is_function(cell)}


#: nbgrader's markers around the part of a test cell that the release leaves out.
HIDDEN_TESTS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def hidden_lines(nb: NotebookNode) -> set[str]:
    """The stripped lines that only hidden tests contain (a line that visible code
    contains as well is no secret)."""
    hidden: set[str] = set()
    visible: set[str] = set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            text = line.strip()
            if text.startswith(HIDDEN_TESTS):
                inside = text.startswith(HIDDEN_TESTS[0])
            elif text:
                (hidden if inside else visible).add(text)
    return hidden - visible


def find(nb: NotebookNode, wanted: str) -> NotebookNode:
    """The cell whose grade_id is ``wanted``."""
    found = next((cell for cell in nb.cells if grade_id(cell) == wanted), None)
    if found is None:
        raise KeyError(f"no cell has grade_id {wanted!r}")
    return found
