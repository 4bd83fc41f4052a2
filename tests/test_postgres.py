"""Several graders share one PostgreSQL gradebook, and every score lands exactly once;
nbgrader's own commands and the formgrader read it through the URL the README documents.

A throwaway PostgreSQL cluster is made with initdb in a temporary folder and started
with pg_ctl on 127.0.0.1 and a free port (as the ``postgres`` user when we are root:
PostgreSQL refuses to run as root), and stopped at the end. Without PostgreSQL's
binaries the tests skip, except in CI (CI=true), where they fail: CI installs Debian's
``postgresql`` package (.ci/run).
"""
import csv
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from course import ROOT, lesson_files
from course.demo import students as demo_students
from course.grade import grade
from course.nbgrader_run import environment, new_course

LESSON = lesson_files.find(["01_forward_propagation"])[0]


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """A PostgreSQL server of our own; yields a function that makes a new database URL."""
    bin_dir = postgres_bin()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        reason = "PostgreSQL is not installed (Debian: apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install it (.ci/run)")
        pytest.skip(reason)
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install -e '.[dev]')")
    import psycopg
    as_root = os.geteuid() == 0
    if as_root:
        import pwd
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            reason = "PostgreSQL refuses to run as root and there is no postgres user to run it as"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="course-pg-", dir="/tmp"))
    data, port = folder / "data", free_port()

    def run(*command):
        command = [str(c) for c in command]
        if as_root:  # PostgreSQL refuses to run as root
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            command = [runuser, "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}"

    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    started = False
    try:
        run(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        run(bin_dir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=100", "start")
        started = True
        names = iter(range(1, 1000))

        def new_database():
            name = f"gradebook{next(names)}"
            connection = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                                         autocommit=True)
            connection.cursor().execute(f"CREATE DATABASE {name}")
            connection.close()
            return f"postgresql://postgres@127.0.0.1:{port}/{name}"
        yield new_database
    finally:
        if started:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def make_class(root, extra=0):
    """A scratch course with the demo's students (right, blank, mistakes, a crash), each
    submitted twice under different names, plus ``extra`` more right ones."""
    root = new_course(root)
    shutil.copytree(ROOT / "source" / LESSON.name, root / "source" / LESSON.name)
    class_ = demo_students(LESSON)
    submissions = {f"{name}_{copy}": nb for name, nb in class_.items() for copy in "ab"}
    submissions.update({f"extra_{i}": class_["perfect"] for i in range(extra)})
    for student, nb in submissions.items():
        folder = root / "submitted" / student / LESSON.name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / LESSON.notebook_name)
    return root, sorted(submissions)


def scores(db_url):
    from nbgrader.api import Gradebook
    found = {}
    with Gradebook(db_url, "nn-from-scratch") as gradebook:
        for submission in gradebook.assignment_submissions(LESSON.name):
            nb = gradebook.find_submission_notebook(LESSON.name, LESSON.name, submission.student.id)
            found[submission.student.id] = {g.cell.name: (g.score, g.max_score) for g in nb.grades}
    return found


def grade_rows(db_url):
    """(student, cell) -> number of grade rows, straight from the database."""
    from sqlalchemy import create_engine, text
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return {(student, cell): n for student, cell, n in connection.execute(text(
                "SELECT sa.student_id, gc.name, COUNT(*) FROM grade g "
                "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
                "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
                "JOIN base_cell gc ON g.cell_id = gc.id "
                "GROUP BY sa.student_id, gc.name"))}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The same class graded with the default SQLite gradebook."""
    root, students = make_class(tmp_path_factory.mktemp("sqlite"))
    results = grade(LESSON, jobs=2, root=root, progress=False)
    assert all(r.graded for r in results), [(r.student, r.problems) for r in results]
    return scores(f"sqlite:///{root / 'gradebook.db'}")


def test_parallel_workers_land_every_score_exactly_once(server, reference, tmp_path):
    db_url = server()
    root, students = make_class(tmp_path / "course")
    results = grade(LESSON, jobs=4, root=root, db_url=db_url, progress=False)
    assert all(r.graded for r in results), [(r.student, r.problems) for r in results]
    got = scores(db_url)
    assert got == reference
    rows = grade_rows(db_url)
    cells = {cell for student in reference.values() for cell in student}
    assert rows == {(s, c): 1 for s in students for c in cells}
    # graded again (as after a resubmission): still one row per student and cell
    grade(LESSON, jobs=3, root=root, db_url=db_url, progress=False, students=students[:5])
    assert grade_rows(db_url) == rows and scores(db_url) == reference


def test_graders_on_two_machines_share_one_gradebook(server, reference, tmp_path):
    """Two `course grade` commands at once, each in its own course directory (as on two
    machines) with half of the class, against one new database."""
    db_url = server()
    roots = [make_class(tmp_path / f"machine{k}")[0] for k in (1, 2)]
    students = sorted(reference)
    commands = [subprocess.Popen(
        [sys.executable, "-m", "course", "grade", LESSON.name, "--jobs", "2", "--db", db_url,
         "--course-dir", str(root), *(arg for s in students[k - 1::2] for arg in ("--student", s))],
        cwd=ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k, root in enumerate(roots, start=1)]
    outputs = [c.communicate(timeout=600) for c in commands]
    for command, (out, err) in zip(commands, outputs):
        assert command.returncode == 0, out + err
    for k, root in enumerate(roots, start=1):
        # one folder per student (course grade also keeps <lesson>.problems.json there)
        graded = sorted(p.name for p in (root / "autograded").iterdir() if p.is_dir())
        assert graded == students[k - 1::2]
    assert scores(db_url) == reference
    cells = {cell for student in reference.values() for cell in student}
    assert grade_rows(db_url) == {(s, c): 1 for s in students for c in cells}


def test_an_unreachable_server_is_one_line_and_writes_nothing(tmp_path):
    pytest.importorskip("psycopg")
    root, _ = make_class(tmp_path / "course")
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "course", "grade", LESSON.name, "--course-dir", str(root),
         "--db", f"postgresql://grader:secret@127.0.0.1:{free_port()}/gradebook"],
        cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the gradebook" in lines[0], done.stderr
    assert "secret" not in done.stderr
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
    assert time.perf_counter() - start < 60


def test_reference_class_is_graded_as_expected(reference):
    perfect = reference["perfect_a"]
    assert all(score == top for score, top in perfect.values())
    assert all(score == 0 for score, _ in reference["blank_a"].values())


# The documented URL, as written (postgresql://, no driver): it is what nbgrader's own
# commands and the formgrader receive, so the default driver must be installed.
DOCUMENTED_CLASS = ["blank", "mistake_sigmoid", "perfect"]


@pytest.fixture(scope="module")
def graded_class(server, tmp_path_factory):
    """Three students graded by `course grade --db <url>`, after which the course's
    nbgrader_config.py names the database as the README says. Returns (root, url, totals),
    totals being each student's score and the maximum, read from the gradebook."""
    db_url = server()
    root = new_course(tmp_path_factory.mktemp("documented") / "course")
    shutil.copytree(ROOT / "source" / LESSON.name, root / "source" / LESSON.name)
    class_ = demo_students(LESSON)
    for student in DOCUMENTED_CLASS:
        folder = root / "submitted" / student / LESSON.name
        folder.mkdir(parents=True)
        nbformat.write(class_[student], folder / LESSON.notebook_name)
    done = subprocess.run(
        [sys.executable, "-m", "course", "grade", LESSON.name, "--jobs", "2", "--db", db_url,
         "--course-dir", str(root)],
        cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    totals = {student: (sum(s for s, _ in cells.values()), sum(m for _, m in cells.values()))
              for student, cells in scores(db_url).items()}
    assert sorted(totals) == DOCUMENTED_CLASS
    top = totals["perfect"][1]
    # an oracle independent of nbgrader's arithmetic: full marks, zero, and in between
    assert top > 0 and totals["perfect"] == (top, top) and totals["blank"] == (0, top)
    assert 0 < totals["mistake_sigmoid"][0] < top
    return root, db_url, totals


def exported(path):
    with open(path, newline="") as f:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(f) if row["assignment"] == LESSON.name}


def test_nbgrader_export_reads_the_url_from_nbgrader_config(graded_class, tmp_path):
    root, db_url, totals = graded_class
    assert db_url.startswith("postgresql://") and "+" not in db_url.split("://")[0]
    done = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(tmp_path / "grades.csv")],
                          cwd=root, env=environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert exported(tmp_path / "grades.csv") == totals


def test_nbgrader_export_takes_the_url_on_the_command_line(graded_class, tmp_path):
    root, db_url, totals = graded_class
    # run from a folder whose nbgrader_config.py is the course's own, without db_url:
    # only the option can lead nbgrader to the database
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", f"--CourseDirectory.root={root}",
         f"--CourseDirectory.db_url={db_url}", "--to", str(tmp_path / "grades.csv")],
        cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert exported(tmp_path / "grades.csv") == totals


def test_formgrader_shows_the_graded_class(graded_class, tmp_path):
    """nbgrader's formgrader (a Jupyter server extension) on 127.0.0.1, run from the
    course directory whose nbgrader_config.py names the PostgreSQL gradebook."""
    root, db_url, totals = graded_class
    token, port = "h2-" + os.urandom(8).hex(), free_port()
    env = dict(environment(), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    command = [sys.executable, "-m", "jupyter", "server", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:  # as in CI: Jupyter refuses root without it
        command.append("--allow-root")
    log = open(tmp_path / "server.log", "w")
    server_process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)

    def get(path):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get("/api/status")
                break
            except OSError:
                assert server_process.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.5)
        try:
            assignments = get("/formgrader/api/assignments")
            submissions = get(f"/formgrader/api/submissions/{LESSON.name}")
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{error}: {(tmp_path / 'server.log').read_text()[-3000:]}") from None
        [assignment] = [a for a in assignments if a["name"] == LESSON.name]
        assert assignment["num_submissions"] == len(DOCUMENTED_CLASS)
        shown = {s["student"]: (s["score"], s["max_score"]) for s in submissions if s["autograded"]}
        assert shown == totals
    finally:
        server_process.terminate()
        try:
            server_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server_process.kill()
            server_process.wait()
        log.close()
