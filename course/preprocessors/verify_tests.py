"""``VerifyTests``: every test cell re-run in the grader, against sandboxed answers.

Each test cell's source (nbgrader has restored it from the instructor's version, hidden
tests included) runs in this process, with every graded function bound to a proxy for
the student's answer cell in a sandbox (:mod:`course.isolation.remote`). The test cell's
outputs become what that run printed, plus an error when it failed; nbgrader's
SaveAutoGrades then scores them as usual.
"""
import contextlib
import io
from collections.abc import Callable, Sequence
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float

from helpers.contracts import CONTRACTS

from .. import cells
from ..isolation.host import host_for, release
from ..isolation.remote import LazyRemote
from ..isolation.sandbox import Sandbox
from .outputs import error_output, stream_output


class VerifyTests(NbGraderPreprocessor):
    """Re-run every test cell in the grader against sandboxed answers."""

    budget = Float(10.0, help="Seconds each graded function may use in its sandbox, all "
                              "its tests together.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        functions = graded_functions(nb, resources)
        lesson = resources["nbgrader"]["assignment"]
        sandboxes: dict[str, Sandbox] = {}

        def sandbox(function: str) -> Sandbox:
            if function not in sandboxes:
                contract = CONTRACTS.get(function)
                budget = contract.budget if contract and contract.budget else self.budget
                sandboxes[function] = Sandbox(function, answer_source(nb, function),
                                              allowed_references(function, functions), budget,
                                              host=host_for(lesson))
            return sandboxes[function]

        try:
            for cell in nb.cells:
                if cells.is_test(cell):
                    cell.outputs = run_test_cell(cell.source, functions, sandbox)
        finally:
            for box in sandboxes.values():
                box.close()
            release(lesson)  # everything the student's code started ends here
        return nb, resources


def graded_functions(nb: NotebookNode, resources: dict[str, Any] | None) -> list[str]:
    """The assignment's graded functions, from the gradebook's answer cells (the
    instructor's version: a student who removed a cell's metadata cannot hide it)."""
    info = (resources or {}).get("nbgrader", {})
    if info.get("db_url"):
        from nbgrader.api import Gradebook
        with Gradebook(info["db_url"]) as gradebook:
            source = gradebook.find_notebook(info["notebook"], info["assignment"])
            return [cell.name for cell in source.solution_cells]
    return cells.functions(nb)


def allowed_references(function: str, functions: Sequence[str]) -> tuple[str, ...]:
    """What an answer may call from helpers.reference: the references of earlier lessons
    (what the lesson's student bundle holds) and those its contract ``uses``. Never this
    lesson's or a later one's: lesson 01's sigmoid may not call lesson 04's softmax.

    The lesson is ``function``'s own, else (a function no lesson grades) the earliest of
    the assignment's ``functions``; with neither, only ``uses``."""
    from course.bundle import reference_lessons
    from helpers import reference
    lessons = reference_lessons()
    contract = CONTRACTS.get(function)
    uses = set(contract.uses) if contract else set()
    known = [lessons[f] for f in (function, *functions) if f in lessons]
    lesson = lessons.get(function, min(known, default=-1))
    return tuple(n for n in reference.__all__ if lessons.get(n, lesson) < lesson or n in uses)


def answer_source(nb: NotebookNode, function: str) -> str:
    """The student's answer for ``function``: the answer cell with that grade_id, else the
    last code cell that defines it (a student may have pasted it into a new cell)."""
    for cell in nb.cells:
        if cells.is_function(cell) and cells.grade_id(cell) == function:
            return cell.source
    defining = [c.source for c in nb.cells if c.cell_type == "code" and f"def {function}(" in c.source
                and not cells.is_test(c)]
    return defining[-1] if defining else f"raise NameError('no answer cell defines {function}')"


def run_test_cell(source: str, functions: Sequence[str],
                  sandbox: Callable[[str], Sandbox]) -> list[NotebookNode]:
    """Outputs for a test cell run here, each graded function a sandbox proxy."""
    import numpy as np
    namespace: dict[str, Any] = {"__name__": "__main__", "np": np}
    namespace.update({f: LazyRemote(f, sandbox) for f in functions})
    printed = io.StringIO()
    outputs: list[NotebookNode] = []
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<test cell>", "exec"), namespace)
    except AssertionError as failure:
        outputs.append(error_output("AssertionError", str(failure)))
    except Exception as error:  # a test that breaks is reported, never passed
        outputs.append(error_output(type(error).__name__, f"the test could not run: {error}"))
    text = printed.getvalue()
    return ([stream_output(text[:10000])] if text else []) + outputs
