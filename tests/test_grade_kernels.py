"""Kernels forked from the grading worker's zygote behave as freshly started kernels.

A notebook that prints what a kernel's own state would reveal (its folder, sys.path, the
environment variables the kernel machinery sets, IPython's directory history and
counters) runs in a normal kernel and in forked ones, a freshly forked kernel and a
spare taken over by the next notebook; all must print the same.
"""
import json
import os
import time

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from course.grading import kernels

PROBE = """import json, os, sys
print(json.dumps({
    "cwd": os.getcwd(),
    "path": sys.path,
    "env": sorted(k for k in os.environ if k.startswith(("JPY", "PYDEVD", "MPL", "NBGRADER"))),
    "mplbackend": os.environ.get("MPLBACKEND"),
    "dh": [str(d) for d in _dh],
    "inputs": len(In),
    "count": get_ipython().execution_count,
    "names": sorted(k for k in globals() if not k.startswith("_")),
    "argv": sys.argv[1:2] + sys.argv[3:],
}))"""


def run(code, folder, manager, timeout=30):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   kernel_manager_class=manager, shutdown_kernel="immediate").execute()
    return nb.cells[0].outputs


@pytest.fixture
def zygote():
    kernels.start_zygote()
    yield kernels._zygote
    kernels.stop_zygote()


def probe(folder, manager):
    folder.mkdir(exist_ok=True)
    outputs = run(PROBE, folder, manager)
    state = json.loads(outputs[0]["text"])
    state["cwd"] = os.path.relpath(state["cwd"], folder)
    state["dh"] = [os.path.relpath(d, folder) for d in state["dh"]]
    return state


def test_forked_and_spare_kernels_look_like_fresh_ones(zygote, tmp_path):
    fresh = probe(tmp_path / "plain", AsyncKernelManager)
    forked = probe(tmp_path / "forked", kernels.ForkedKernelManager)
    assert kernels._spares, "a spare kernel is started for the next notebook"
    spare_pid = kernels._spares[0].provisioner.process.pid
    taken = probe(tmp_path / "taken", kernels.ForkedKernelManager)
    assert fresh == forked == taken
    assert fresh["cwd"] == "." and fresh["dh"] == ["."] and fresh["count"] == 2
    assert spare_pid not in {s.provisioner.process.pid for s in kernels._spares}  # it was taken


def test_forked_kernels_do_not_share_random_state(zygote, tmp_path):
    draws = [run("import numpy as np, random; print(np.random.rand(), random.random())", tmp_path,
                 kernels.ForkedKernelManager)[0]["text"] for _ in range(3)]
    assert len(set(draws)) == 3


def test_a_dying_kernel_is_noticed_at_once(zygote, tmp_path):
    start = time.perf_counter()
    with pytest.raises(DeadKernelError):
        run("import os\nos._exit(3)", tmp_path, kernels.ForkedKernelManager)
    assert time.perf_counter() - start < 10


def test_stopping_the_zygote_ends_its_kernels(tmp_path):
    zygote = kernels.start_zygote()
    run("x = 1", tmp_path, kernels.ForkedKernelManager)
    spare = kernels._spares[0].provisioner.process
    kernels.stop_zygote()
    assert zygote.process.poll() is not None
    assert spare.wait(timeout=10) is not None


def test_without_pidfd_kernels_start_as_usual(zygote, tmp_path, monkeypatch):
    def unsupported(pid, flags=0):
        raise OSError(38, "Function not implemented")
    monkeypatch.setattr(os, "pidfd_open", unsupported)
    kernels._discard_spares()
    outputs = run("print(6 * 7)", tmp_path, kernels.ForkedKernelManager)
    assert outputs[0]["text"] == "42\n"
    assert zygote.broken  # later kernels do not try the zygote again
