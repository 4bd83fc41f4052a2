"""nbgrader preprocessors that grade test cells outside the student's kernel.

``GradingExecute`` runs the notebook in its kernel as nbgrader does, except the test
cells (their outputs come from ``VerifyTests``), and it stops after the first cell that
times out or kills the kernel, so a runaway answer costs one timeout, not one per cell.

``VerifyTests`` then runs each test cell's source (nbgrader has restored it from the
instructor's version, hidden tests included) in this process, with every graded
function bound to a proxy for the student's answer cell in a sandbox. The test cell's
outputs become what that run printed, plus an error when it failed; nbgrader's
SaveAutoGrades then scores them as usual.
"""
import contextlib
import io
from collections.abc import Callable, Sequence
from typing import Any

from jupyter_client.client import KernelClient
from jupyter_core.utils import run_sync
from nbformat.notebooknode import NotebookNode
from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float, Integer

from helpers.check import Outcome
from helpers.contracts import CONTRACTS
from helpers.proxy import mark

from .. import cells
from .host import host_for, release
from .kernels import SandboxKernelManager
from .sandbox import Sandbox, SandboxFailure, exception_from

NOT_RUN = "This cell was not run: an earlier cell did not finish or stopped the kernel."


def load_score_deciding_code() -> None:
    """Load, once, all the code that decides scores, before any student code runs: nbgrader
    imports this module while it sets up autograding (and ``course grade``'s workers while
    they read the configuration), before the first kernel starts. Loaded later, the mistake
    catalogue would be executed from ``tests/mistakes/`` when a check fails, so a file a
    student's cell managed to write there would run in the grader."""
    import helpers.check  # noqa: F401 (the check harness the test cells import)
    import helpers.check_capstone  # noqa: F401
    import helpers.check_initialization  # noqa: F401
    import helpers.reference  # noqa: F401
    from course.bundle import reference_lessons
    from helpers import catalogue
    catalogue.load()  # every catalogue file, served from memory from now on
    reference_lessons()  # which lesson each reference belongs to (allowed_references)


load_score_deciding_code()


class GradingExecute(Execute):
    """nbgrader's Execute without the test cells, stopping at the first fatal cell."""

    cell_timeout = Integer(10, help="Seconds a cell may run while grading, unless the instructor's "
                                    "source notebook gives the cell (by grade_id) course.timeout "
                                    "(for a lesson's slow demo).").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_func = self._cell_timeout
        self._timeouts: dict[str, int] = {}  # grade_id -> seconds, from the instructor's source notebook

    def _cell_timeout(self, cell: NotebookNode) -> int:
        """The instructor's limit for this cell, never the submission's own metadata (a
        student could set it to 0, no limit): the source cell's ``course.timeout`` for the
        cell's grade_id; a cell without one, or added by the student, gets ``cell_timeout``."""
        meta = cell.metadata.get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str):
            return self.cell_timeout
        return self._timeouts.get(grade_id, self.cell_timeout)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any] | None = None,
                   km: Any = None) -> tuple[NotebookNode, dict[str, Any]]:
        """Read the cells' time limits from ``source/<assignment>/<notebook>.ipynb`` (in the
        course directory of the nbgrader app that runs this, else the working directory,
        which nbgrader sets to the course root), then run the notebook."""
        import os

        import nbformat
        self._stopped: str | None = None  # why the rest of the notebook is not run
        self._timeouts = {}
        info = (resources or {}).get("nbgrader", {})
        if info.get("assignment") and info.get("notebook"):
            coursedir = getattr(getattr(self.parent, "parent", None), "coursedir", None)
            folder = (coursedir.format_path(coursedir.source_directory, ".", info["assignment"])
                      if coursedir is not None else os.path.join(os.getcwd(), "source", info["assignment"]))
            path = os.path.join(folder, f"{info['notebook']}.ipynb")
            try:
                cells = nbformat.read(path, as_version=4).cells
            except Exception as error:  # no source: every cell gets the default limit
                self.log.warning(f"cell time limits: {path} could not be read ({error}); "
                                 f"every cell gets {self.cell_timeout} s")
                cells = []
            for cell in cells:
                grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
                timeout = (cell.metadata.get("course") or {}).get("timeout")
                if isinstance(grade_id, str) and isinstance(timeout, (int, float)):
                    self._timeouts[grade_id] = int(timeout)
        return super().preprocess(nb, resources, km)

    def create_kernel_manager(self) -> SandboxKernelManager:
        """The kernel runs in the student's sandbox (course/grading/host.py), never here."""
        lesson = self.resources["nbgrader"]["assignment"]
        kwargs = {"kernel_name": self.kernel_name} if self.kernel_name else {}
        self.km = SandboxKernelManager(config=self.config, **kwargs).use(host_for(lesson))
        return self.km

    async def async_start_new_kernel_client(self) -> KernelClient:
        client = await super().async_start_new_kernel_client()
        self.km.host.lock_sockets()  # the kernel has made its sockets: the folder takes no more
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any],
                        index: int) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type != "code" or cells.is_test(cell):
            return cell, resources
        if self._stopped:
            cell.outputs = [_stream(NOT_RUN)]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "dead"
            cell.outputs.append(_error("DeadKernelError", "The kernel died while running this "
                                       "cell (os._exit, a crash, or memory exhausted)."))
            return cell, resources
        except Exception as error:  # the kernel stopped answering (its machinery broken)
            self._stopped = "broken"
            cell.outputs.append(_error(type(error).__name__, "The kernel stopped responding while "
                                       "running this cell; the rest of the notebook was not run."))
            return cell, resources
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._stopped = "timeout"
        return cell, resources


class RepairSubmission(NbGraderPreprocessor):
    """Before nbgrader's own sanitizing: make a hand-edited submission gradable.

    - a cell whose grade_id the assignment does not have loses its nbgrader metadata
      (it becomes an ordinary cell), unless it defines a graded function whose answer
      cell is missing, in which case it becomes that answer cell again;
    - of several cells with one grade_id, the first keeps it;
    - cell ids are made unique.
    nbgrader then restores test cells (OverwriteCells, add_missing_cells). Each repair is
    logged as a warning that starts with "submission:", for the grading report.
    """

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        info = resources["nbgrader"]
        from nbgrader.api import Gradebook
        with Gradebook(info["db_url"]) as gradebook:
            source = gradebook.find_notebook(info["notebook"], info["assignment"])
            known = {cell.name for cell in source.source_cells}
            functions = [cell.name for cell in source.solution_cells]
        seen: set[str] = set()
        present = {c.metadata.nbgrader.get("grade_id") for c in nb.cells
                   if isinstance(c.metadata.get("nbgrader"), dict)}
        for index, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta is not None and not isinstance(meta, dict):
                del cell.metadata["nbgrader"]
                meta = None
            grade_id = meta.get("grade_id") if meta else None
            if meta is not None and (grade_id not in known or grade_id in seen):
                why = "is used twice" if grade_id in seen else "is not in the assignment"
                self.log.warning(f"submission: cell {index + 1}'s grade_id {grade_id!r} {why}; "
                                 "treated as an ordinary cell")
                del cell.metadata["nbgrader"]
                meta = None
            if meta is None and cell.cell_type == "code":
                for function in functions:
                    if function not in present and f"def {function}(" in cell.source:
                        self.log.warning(f"submission: the answer cell for {function} had lost its "
                                         f"metadata; cell {index + 1} is graded as that answer")
                        cell.metadata["nbgrader"] = {"grade": False, "grade_id": function,
                                                     "locked": False, "schema_version": 3,
                                                     "solution": True, "task": False}
                        present.add(function)
                        grade_id = function
                        break
            if grade_id:
                seen.add(grade_id)
        ids: set[str | None] = set()
        for index, cell in enumerate(nb.cells):
            if "id" in cell and cell.id in ids:
                cell.id = f"cell-{index}"
            ids.add(cell.get("id"))
        return nb, resources


class Remote:
    """The test's view of a graded function: a proxy for the student's answer cell."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.__name__ = sandbox.function

    def course_remote(self, args: Sequence[Any], kwargs: dict[str, Any], arg_names: Sequence[str] | None,
                      count_lines: bool = False) -> Outcome:
        try:
            reply = self._sandbox.run(args, kwargs, arg_names, count_lines)
        except SandboxFailure as failure:
            kind = type("TimeoutError" if "did not finish" in str(failure) else "ProcessDied",
                        (Exception,), {})
            error = mark(kind(f"your {self.__name__} {failure}"))
            return Outcome(error=error, args=tuple(args))
        raised = reply.get("error")
        return Outcome(
            value=reply.get("value"),
            error=exception_from(raised) if raised else None,
            float_warnings=tuple(str(w) for w in reply.get("warnings") or ()),
            mutated=tuple(str(m) for m in reply.get("mutated") or ()),
            args=tuple(reply.get("args") or args),
            lines=reply["lines"] if type(reply.get("lines")) is int else None,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outcome = self.course_remote(args, kwargs, None)
        if outcome.error is not None:
            raise outcome.error
        return outcome.value


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


class _LazyRemote(Remote):
    def __init__(self, function: str, sandbox: Callable[[str], Sandbox]) -> None:
        self._function, self._factory = function, sandbox
        self.__name__ = function

    @property
    def _sandbox(self) -> Sandbox:  # type: ignore[override]  # read-only: made on first use
        return self._factory(self._function)


def run_test_cell(source: str, functions: Sequence[str],
                  sandbox: Callable[[str], Sandbox]) -> list[NotebookNode]:
    """Outputs for a test cell run here, each graded function a sandbox proxy."""
    import numpy as np
    namespace: dict[str, Any] = {"__name__": "__main__", "np": np}
    namespace.update({f: _LazyRemote(f, sandbox) for f in functions})
    printed = io.StringIO()
    outputs: list[NotebookNode] = []
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<test cell>", "exec"), namespace)
    except AssertionError as failure:
        outputs.append(_error("AssertionError", str(failure)))
    except Exception as error:  # a test that breaks is reported, never passed
        outputs.append(_error(type(error).__name__, f"the test could not run: {error}"))
    text = printed.getvalue()
    return ([_stream(text[:10000])] if text else []) + outputs


def _stream(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


def _error(name: str, message: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=name, evalue=message,
                        traceback=[f"{name}: {message}"])
