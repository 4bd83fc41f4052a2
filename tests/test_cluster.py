"""`course grade --scheduler`: grading on a real Dask cluster (issue 15).

A `dask scheduler` and two `dask worker` processes on 127.0.0.1, each worker in an empty
folder of its own and running the course from its own copy (first on PYTHONPATH), so
that nothing of the instructor's course directory is within its reach. The instructor's
commands run from a snapshot of this working tree too (the workers' copies are copies of
it), so that an edit made in the tree meanwhile cannot make the courses differ.

- a class of 20 graded on the cluster gets every grade that `course grade --jobs 2` gets
  on one machine, and the same autograded notebooks' diagnoses;
- a worker whose lesson file differs is refused, by name, before anything is written;
- a scheduler that is not there: one line of error, nothing written;
- a worker killed (SIGKILL) while grading: every student graded exactly once.
"""
import hashlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from graded import diagnoses, scores

from course import ROOT, lesson_files
from course.demo import students as demo_students
from course.nbgrader_run import environment, nbgrader

LESSON = lesson_files.find(["01_forward_propagation"])[0]
CLASS_SIZE = 20
#: What a copy of the course leaves out: the environment, caches, student data.
NOT_COPIED = shutil.ignore_patterns(".venv", "node_modules", ".mypy_cache", ".hypothesis", ".ruff_cache",
                                    ".pytest_cache", "__pycache__", "demo", "autograded", "submitted",
                                    "feedback", "reports", "bundles", "work", "gradebook.db", "artifacts")
STARTUP = 120  # seconds for a scheduler or worker to come up on a busy machine (not a check)


def require(found, what):
    """Skip without it, except in CI, where a missing requirement is a failure."""
    if not found:
        message = f"{what} is needed to test grading on a Dask cluster"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def requirements():
    try:
        import distributed  # noqa: F401
        found = True
    except ImportError:
        found = False
    require(found, "distributed (pip install -e .)")
    require(shutil.which("dask", path=environment()["PATH"]), "the dask command")
    require(shutil.which("bwrap"), "bubblewrap")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(code):
    env = environment()
    env["PYTHONPATH"] = str(code)
    return env


def course(code, *args, **popen):
    """``python -m course ARGS`` run from the course at ``code``."""
    command = [sys.executable, "-m", "course", *args]
    if popen:
        return subprocess.Popen(command, cwd=code, env=env_for(code), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    done = subprocess.run(command, cwd=code, env=env_for(code), capture_output=True, text=True, timeout=1200)
    return done.returncode, done.stdout, done.stderr


class Cluster:
    """A scheduler and its workers, each a process this test started and will kill."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.processes = {}
        self.logs = []
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                   cwd=self.folder, env=environment())

    def start(self, name, args, cwd, env):
        log = open(self.folder / f"{name}.log", "w")
        self.logs.append(log)
        self.processes[name] = subprocess.Popen(
            [str(Path(sys.executable).parent / "dask"), *args], cwd=cwd, env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)

    def add_worker(self, name, code):
        """A worker in an empty folder of its own, running the course at ``code``."""
        home = self.folder / name
        home.mkdir()
        self.start(name, ["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny",
                          "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(home)],
                   cwd=home, env=env_for(code))

    def client(self):
        from distributed import Client
        return Client(self.address, timeout=STARTUP, set_as_default=False)

    def wait_for(self, names):
        with self.client() as client:
            client.wait_for_workers(len(names), timeout=STARTUP)
            return {info["name"]: address for address, info in client.scheduler_info()["workers"].items()}

    def kill(self, name):
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
            process.wait()
        for log in self.logs:
            log.close()


def copy_course(code, target):
    shutil.copytree(code, target, symlinks=True, ignore=NOT_COPIED)
    return target


@pytest.fixture(scope="module")
def code(tmp_path_factory):
    """The instructor's course: a snapshot of this working tree."""
    return copy_course(ROOT, tmp_path_factory.mktemp("instructor") / "code")


@pytest.fixture(scope="module")
def cluster(code, tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        for name in ("w1", "w2"):
            cluster.add_worker(name, copy_course(code, cluster.folder / f"{name}-code"))
        cluster.workers = cluster.wait_for(["w1", "w2"])
        yield cluster
    finally:
        cluster.stop()


def class_course(code, folder):
    """A course directory of lesson 01 with a class of 20: right, blank, typical mistakes,
    a crashing kernel, an answer that raises."""
    root = Path(folder)
    (root / "source").mkdir(parents=True)
    shutil.copy(code / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(code / "source" / LESSON.name, root / "source" / LESSON.name)
    nbgrader(root, "generate_assignment", LESSON.name, "--force")
    variants = list(demo_students(LESSON).items())
    for i in range(CLASS_SIZE):
        kind, nb = variants[i % len(variants)]
        folder = root / "submitted" / f"{kind}_{i:02d}" / LESSON.name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / LESSON.notebook_name)
    return root


@pytest.fixture(scope="module")
def base(code, tmp_path_factory):
    return class_course(code, tmp_path_factory.mktemp("class") / "course")


@pytest.fixture(scope="module")
def graded(code, cluster, base, tmp_path_factory):
    """The class graded on the cluster and with --jobs 2 on this machine."""
    roots = {way: shutil.copytree(base, tmp_path_factory.mktemp(way) / "course") for way in ("dask", "local")}
    runs = {"dask": course(code, "grade", LESSON.name, "--course-dir", str(roots["dask"]),
                           "--scheduler", cluster.address),
            "local": course(code, "grade", LESSON.name, "--course-dir", str(roots["local"]), "--jobs", "2")}
    for way, (returncode, out, err) in runs.items():
        assert returncode == 0, f"{way}: {out}{err}"
        assert "Traceback" not in err and "Warning" not in err, err
    return roots, runs



def row_counts(root):
    """(submission rows per student, grade rows per (student, cell))."""
    with sqlite3.connect(root / "gradebook.db") as db:
        submissions = db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id")
        submitted = dict(submissions.fetchall())
        grades = db.execute("""
            SELECT submitted_assignment.student_id, grade.cell_id, COUNT(*) FROM grade
            JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            GROUP BY submitted_assignment.student_id, grade.cell_id""").fetchall()
    return submitted, {(s, c): n for s, c, n in grades}


def students(root):
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{LESSON.name}"))


def snapshot(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def one_line_error(returncode, stderr):
    assert returncode != 0
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("course: error: ")
    return lines[0]


def test_workers_run_their_own_copy_in_their_own_folder(cluster):
    with cluster.client() as client:
        files = client.run(eval, "__import__('course').__file__")
        folders = client.run(os.getcwd)
    for name, address in cluster.workers.items():
        assert Path(files[address]).is_relative_to(cluster.folder / f"{name}-code")
        assert Path(folders[address]) == cluster.folder / name


def test_the_cluster_gives_every_score_that_one_machine_gives(graded):
    roots, runs = graded
    everyone = students(roots["local"])
    assert len(everyone) == CLASS_SIZE
    local = scores(roots["local"], LESSON)
    assert sorted(local) == everyone
    assert scores(roots["dask"], LESSON) == local
    assert f"{CLASS_SIZE} of {CLASS_SIZE} students graded" in runs["dask"][1]


def test_the_class_spans_right_wrong_and_crashing(graded):
    roots, _ = graded
    total = {s: sum(v[0] for v in cells.values()) for s, cells in scores(roots["dask"], LESSON).items()}
    top = max(total.values())
    assert any(s.startswith("perfect") for s, t in total.items() if t == top)
    assert all(total[s] == 0 for s in total if s.startswith("blank"))
    assert all(0 < total[s] < top for s in total if s.startswith(("crash", "mistake_", "two_mistakes")))



def test_autograded_notebooks_come_back_as_with_local_grading(graded):
    roots, runs = graded
    for student in students(roots["local"]):
        assert diagnoses(roots["dask"], LESSON, student) == diagnoses(roots["local"], LESSON, student), student
    # the report's lines (problems, diagnosed mistakes, crashes) are those of local grading
    assert runs["dask"][1] == runs["local"][1]


def test_each_student_is_recorded_once(graded):
    roots, _ = graded
    submitted, grades = row_counts(roots["dask"])
    assert sorted(submitted) == students(roots["dask"]) and set(submitted.values()) == {1}
    assert set(grades.values()) == {1} and grades.keys() == row_counts(roots["local"])[1].keys()


def test_a_worker_running_another_course_is_refused(code, base, tmp_path):
    cluster = Cluster(tmp_path)
    try:
        other = copy_course(code, tmp_path / "w3-code")
        changed = other / "source" / LESSON.name / LESSON.notebook_name
        changed.write_text(changed.read_text().replace("sigmoid", "sigmoid ", 1))
        cluster.add_worker("w3", other)
        cluster.wait_for(["w3"])
        root = shutil.copytree(base, tmp_path / "course")
        before = snapshot(root)
        line = one_line_error(*course(code, "grade", LESSON.name, "--course-dir", str(root),
                                      "--scheduler", cluster.address)[::2])
        assert "runs another course" in line
        assert f"source/{LESSON.name}/{LESSON.notebook_name} differs" in line
        assert snapshot(root) == before
    finally:
        cluster.stop()


def test_a_scheduler_that_is_not_there_is_one_line_and_writes_nothing(code, base, tmp_path):
    root = shutil.copytree(base, tmp_path / "course")
    before = snapshot(root)
    address = f"tcp://127.0.0.1:{free_port()}"
    line = one_line_error(*course(code, "grade", LESSON.name, "--course-dir", str(root),
                                  "--scheduler", address)[::2])
    assert f"cannot reach the Dask scheduler at {address}" in line
    assert snapshot(root) == before


def test_a_worker_killed_while_grading_loses_no_student(code, cluster, base, graded, tmp_path):
    """Last in this module: it leaves the shared cluster with one worker."""
    root = shutil.copytree(base, tmp_path / "course")
    run = course(code, "grade", LESSON.name, "--course-dir", str(root), "--scheduler", cluster.address,
                 popen=True)
    victim = cluster.workers["w2"]
    killed_while_grading = False
    with cluster.client() as client:
        while run.poll() is None:
            recorded = [p for p in (root / "autograded").glob("*") if p.is_dir()] \
                if (root / "autograded").is_dir() else []
            if recorded and client.processing().get(victim):  # mid-run, the victim holding a student
                cluster.kill("w2")
                killed_while_grading = True
                break
            time.sleep(0.2)
    out, err = run.communicate(timeout=1200)
    assert killed_while_grading, "the run ended before the worker could be killed while grading"
    assert run.returncode == 0, out + err
    assert f"{CLASS_SIZE} of {CLASS_SIZE} students graded" in out
    submitted, grades = row_counts(root)
    assert sorted(submitted) == students(root) and set(submitted.values()) == {1}
    assert set(grades.values()) == {1} and len(grades) == len(row_counts(graded[0]["local"])[1])
    assert scores(root, LESSON) == scores(graded[0]["local"], LESSON)
