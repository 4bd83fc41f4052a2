"""``GradingExecute``: nbgrader's Execute, in the student's sandboxed kernel, without the
test cells.

It runs the notebook as nbgrader does, except the test cells (their outputs come from
:mod:`.verify_tests`), and it stops after the first cell that times out or kills the
kernel, so a runaway answer costs one timeout, not one per cell.
"""
from typing import Any

from jupyter_client.client import KernelClient
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .. import cells
from ..isolation.host import host_for
from ..isolation.kernels import SandboxKernelManager
from .outputs import error_output, stream_output

NOT_RUN = "This cell was not run: an earlier cell did not finish or stopped the kernel."


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
        """The kernel runs in the student's sandbox (course/isolation/host.py), never here."""
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
            cell.outputs = [stream_output(NOT_RUN)]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "dead"
            cell.outputs.append(error_output("DeadKernelError", "The kernel died while running this "
                                       "cell (os._exit, a crash, or memory exhausted)."))
            return cell, resources
        except Exception as error:  # the kernel stopped answering (its machinery broken)
            self._stopped = "broken"
            cell.outputs.append(error_output(type(error).__name__, "The kernel stopped responding while "
                                       "running this cell; the rest of the notebook was not run."))
            return cell, resources
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._stopped = "timeout"
        return cell, resources
