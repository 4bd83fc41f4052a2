"""Kernels forked in the student sandbox behave as freshly started kernels, in a copy
of their notebook's folder, and end with the sandbox.

A notebook that prints what a kernel's own state would reveal (sys.path, the environment
variables the kernel machinery sets, IPython's directory history and counters) runs in a
normal kernel and in sandboxed ones; all must print the same, but for the folder they
run in, which in the sandbox is a copy under /tmp/work.
"""
import json
import os
import time

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from course.isolation import host as hosts
from course.isolation.kernels import SandboxKernelManager

LESSON = "01_forward_propagation"

PROBE = """import json, os, sys
print(json.dumps({
    "cwd": os.getcwd(),
    "env": sorted(k for k in os.environ if k.startswith(("JPY", "PYDEVD", "MPLB", "NBGRADER"))),
    "mplbackend": os.environ.get("MPLBACKEND"),
    "dh": [str(d) for d in _dh],
    "inputs": len(In),
    "count": get_ipython().execution_count,
    "names": sorted(k for k in globals() if not k.startswith("_")),
    "argv": sys.argv[1:2] + sys.argv[3:],
}))"""


class Sandboxed(SandboxKernelManager):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.use(hosts.host_for(LESSON))


def run(code, folder, manager=Sandboxed, timeout=30):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   kernel_manager_class=manager, shutdown_kernel="immediate").execute()
    return nb.cells[0].outputs


@pytest.fixture(autouse=True)
def sandbox():
    yield
    hosts.close_all()


def probe(folder, manager):
    folder.mkdir(exist_ok=True)
    state = json.loads(run(PROBE, folder, manager)[0]["text"])
    assert os.path.basename(state.pop("cwd")) == folder.name
    state.pop("dh")
    return state


def test_sandboxed_kernels_look_like_fresh_ones(tmp_path):
    fresh = probe(tmp_path / "plain", AsyncKernelManager)
    first = probe(tmp_path / "first", Sandboxed)
    second = probe(tmp_path / "second", Sandboxed)
    assert fresh == first == second
    assert fresh["count"] == 2


def test_a_kernel_works_in_a_copy_of_its_folder_and_sees_no_course(tmp_path):
    """The copy holds the folder's notebooks and nothing else: under plain nbgrader
    autograde, any other file there may be a copy of whatever a submitted link pointed at
    (host.folder_archive)."""
    (tmp_path / "mine.ipynb").write_text("the student's notebook")
    (tmp_path / "data.txt").write_text("a file the submission brought")
    code = ("import os\nprint(sorted(os.listdir('.')))\nprint(open('mine.ipynb').read())\n"
            "open('mine.ipynb', 'w').write('changed')\n"
            f"print(os.path.exists({str(tmp_path)!r}), os.getuid() == 0)\n"
            "import helpers, pathlib\n"
            "print(sorted(p.name for p in pathlib.Path(helpers.__file__).parent.glob('reference/*.py')))")
    printed = run(code, tmp_path)[0]["text"].splitlines()
    assert printed[0] == "['mine.ipynb']"
    assert printed[1] == "the student's notebook"
    assert (tmp_path / "mine.ipynb").read_text() == "the student's notebook"  # a copy was changed
    assert printed[2] == "False False"  # the grader's folders are not there; not root
    assert printed[3] == "['__init__.py']"  # lesson 01 sees no reference module


def test_sandboxed_kernels_do_not_share_random_state(tmp_path):
    draws = [run("import numpy as np, random; print(np.random.rand(), random.random())", tmp_path)[0]["text"]
             for _ in range(3)]
    assert len(set(draws)) == 3


def test_a_dying_kernel_is_noticed_at_once(tmp_path):
    start = time.perf_counter()
    with pytest.raises(DeadKernelError):
        run("import os\nos._exit(3)", tmp_path)
    assert time.perf_counter() - start < 10


def test_closing_the_sandbox_ends_everything_in_it(tmp_path):
    host = hosts.host_for(LESSON)
    if host.uid is None:
        pytest.skip("grading as a user: the sandbox's processes have the grader's uid")
    run("import subprocess\nsubprocess.Popen(['sleep', '600'], start_new_session=True)", tmp_path)
    sandbox_processes = _processes_of(host.uid)
    assert len(sandbox_processes) >= 2  # the zygote and the sleep
    hosts.close_all()
    deadline = time.monotonic() + 10
    while _processes_of(host.uid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_of(host.uid) == []


def _processes_of(uid):
    """PIDs of live processes whose real uid is ``uid``."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                status = open(f"/proc/{name}/status").read()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if int(fields["Uid"].split()[0]) == uid and fields["State"].split()[0] not in "ZX":
                found.append(int(name))
    return found
