"""Grading speed: plain ``nbgrader autograde`` against ``course grade --jobs 1`` and ``--jobs 2``,
and ``course grade --scheduler`` on a Dask cluster of one worker, then two.

    .venv/bin/python benchmarks/grading_speed.py [--students 40] [--lesson 01_forward_propagation]
                                                 [--ways local,dask]

Builds one synthetic class (the demo's students, cycled: right, blank, typical mistakes,
a kernel crash) in a scratch course, copies it three times, and grades each copy once:

1. ``nbgrader autograde <lesson>``, serial, with this course's nbgrader_config.py (its
   verifying preprocessors included), as an instructor would run it;
2. ``python -m course grade <lesson> --jobs 1``;
3. ``python -m course grade <lesson> --jobs 2``.

Each is timed from the command's start to its end (start-up included), and the three
gradebooks are compared: the scores must be identical. Prints notebooks per second for
each way and the ratios, then what the student sandbox costs: starting one (plain
nbgrader starts one per notebook; a ``course grade`` worker one in all) and, in a warm
one, resetting it and starting an answer process (done once per graded function). Not a
test: a figure to read (the goals on a 2-core machine: ``--jobs 2`` at least 2x plain
nbgrader, ``--jobs 1`` not slower than it).

The Dask path (``--ways dask``) starts ``dask scheduler`` and one ``dask worker`` on
127.0.0.1, grades a copy of the class with ``--scheduler``, adds a second worker and grades
another copy: wall time, notebooks per second and seconds per notebook per worker. Then the
gradebook's write rate: the instructor's side (course.cluster.Recorder, nbgrader's own
SaveAutoGrades and AssignLatePenalties) records every returned notebook again into a copy of
the class's SQLite gradebook, timed alone: the ceiling of any cluster, however many workers.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from course import lesson_files  # noqa: E402
from course.demo import students as demo_students  # noqa: E402
from course.nbgrader_run import environment  # noqa: E402
from course.scratch import scratch_course, submit  # noqa: E402


def build_class(base, lesson, count):
    root = scratch_course(base, lesson)
    variants = list(demo_students(lesson).items())
    for i in range(count):
        kind, nb = variants[i % len(variants)]
        submit(root, lesson, f"{kind}_{i:03d}", nb)
    return root


def timed(command, cwd, env=None):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env or environment(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        print(f"  warning: {' '.join(command[:4])} exited {done.returncode}: {' | '.join(tail)}")
    return seconds


def scores(root, lesson):
    from nbgrader.api import Gradebook
    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.assignment_submissions(lesson.name):
            nb = gradebook.find_submission_notebook(lesson.name, lesson.name, submission.student.id)
            found[submission.student.id] = {g.cell.name: g.score for g in nb.grades}
    return found


def sandbox_costs(lesson, starts=3, answers=20):
    """Median seconds to start a sandbox, and to reset it and run an answer cell in it."""
    import statistics

    from course.isolation.host import Host
    from course.isolation.sandbox import Sandbox

    cold = []
    for _ in range(starts):
        start = time.perf_counter()
        host = Host(lesson.name)
        cold.append(time.perf_counter() - start)
        host.close()
    host = Host(lesson.name)
    warm = []
    try:
        for _ in range(answers):
            start = time.perf_counter()
            box = Sandbox("dense_forward", "def dense_forward(x, W, b):\n    return x @ W + b\n", host=host)
            box.start()
            warm.append(time.perf_counter() - start)
            box.close()
    finally:
        host.close()
    print(f"sandbox: start {statistics.median(cold):.2f} s (median of {starts}, first "
          f"{cold[0]:.2f} s); reset and answer process ready {1000 * statistics.median(warm):.0f} ms "
          f"(median of {answers})")


def dask_path(scratch, base, lesson, count):
    """``course grade --scheduler`` on a local Dask cluster with one worker, then two (each
    ``--nthreads 1``, in a folder of its own, running this course), and the gradebook's
    write rate: the instructor's side recording returned notebooks, timed alone."""
    import json

    from course.cluster import Recorder

    cluster = scratch / "cluster"
    cluster.mkdir()
    bin_ = Path(sys.executable).parent
    # Workers and instructor run one snapshot of this course: an edit made meanwhile in the
    # working tree would make a worker's course differ, and be refused.
    code = scratch / "code"
    shutil.copytree(ROOT, code, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".mypy_cache", ".hypothesis", ".ruff_cache", ".pytest_cache", "__pycache__",
        "demo", "autograded", "submitted", "feedback", "reports", "bundles", "work", "gradebook.db"))
    env = {**environment(), "PYTHONPATH": str(code)}
    processes = []

    def start(name, args):
        log = open(cluster / f"{name}.log", "w")
        home = cluster / name
        home.mkdir()
        processes.append(subprocess.Popen([str(bin_ / "dask"), *args], cwd=home, env=env,
                                          stdout=log, stderr=log, stdin=subprocess.DEVNULL))

    def wait_for(workers):
        from distributed import Client
        with Client(address, timeout=120, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=300)

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    rows = []
    try:
        start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
        for workers in (1, 2):
            name = f"worker{workers}"
            start(name, ["worker", address, "--nthreads", "1", "--no-dashboard", "--no-nanny", "--host",
                         "127.0.0.1", "--local-directory", str(cluster / name)])
            wait_for(workers)
            root = scratch / f"dask{workers}"
            shutil.copytree(base, root)
            seconds = timed([sys.executable, "-m", "course", "grade", lesson.name, "--course-dir", str(root),
                             "--scheduler", address], cwd=code, env=env)
            rows.append((f"course grade --scheduler, {workers} worker(s)", seconds, scores(root, lesson)))
            print(f"  {rows[-1][0]:<36} {seconds:7.1f} s  {count / seconds:6.2f} notebooks/s  "
                  f"{seconds * workers / count:5.2f} s per notebook per worker", flush=True)
    finally:
        for process in processes:
            process.kill()
            process.wait()
    print(f"two Dask workers vs one: {rows[0][1] / rows[1][1]:.2f}x (each run's start-up included: "
          "a worker's first student also starts its sandbox and generates its scratch course)")
    # The write rate: every returned notebook recorded again, into a copy of the class's gradebook.
    root = scratch / "recording"
    shutil.copytree(base, root)
    staging = scratch / "recording-staging"
    graded = scratch / "dask2" / "autograded"
    students = sorted(p.name for p in graded.iterdir() if (p / lesson.name / lesson.notebook_name).is_file())
    for student in students:
        shutil.copytree(root / "submitted" / student / lesson.name, staging / student / lesson.name)
    recorder = Recorder(root, lesson, f"sqlite:///{root / 'gradebook.db'}", staging)
    start_ = time.perf_counter()
    failed = [s for s in students
              if not recorder.record(s, (graded / s / lesson.name / lesson.notebook_name).read_bytes())[0]]
    seconds = time.perf_counter() - start_
    same = scores(root, lesson) == rows[1][2] == rows[0][2] and not failed and len(rows[0][2]) == count
    print(f"gradebook write rate (SQLite, the instructor's side alone): {len(students)} records in "
          f"{seconds:.1f} s = {len(students) / seconds:.2f} records/s ({1000 * seconds / len(students):.0f} ms "
          f"each); the same scores as the cluster's run: {'yes' if same else 'NO'}")
    print(json.dumps({"dask_1_worker_s": round(rows[0][1], 1), "dask_2_workers_s": round(rows[1][1], 1),
                      "records_per_s": round(len(students) / seconds, 2), "students": count}))
    return rows, same


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--lesson", default="01_forward_propagation")
    parser.add_argument("--keep", default=None, help="keep the three graded courses in this folder")
    parser.add_argument("--ways", default="local,dask",
                        help="local (plain nbgrader, --jobs 1, --jobs 2), dask (one Dask worker, then two), or both")
    args = parser.parse_args(argv)
    lesson = lesson_files.find([args.lesson])[0]
    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="course-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        base = build_class(scratch / "class", lesson, args.students)
        ways = [
            ("plain nbgrader autograde (serial)",
             [str(Path(sys.executable).parent / "nbgrader"), "autograde", lesson.name, "--force",
              "--CourseDirectory.root={root}", "--CourseDirectory.db_url=sqlite:///{root}/gradebook.db"]),
            ("course grade --jobs 1",
             [sys.executable, "-m", "course", "grade", lesson.name, "--jobs", "1", "--course-dir", "{root}"]),
            ("course grade --jobs 2",
             [sys.executable, "-m", "course", "grade", lesson.name, "--jobs", "2", "--course-dir", "{root}"]),
        ]
        print(f"{args.students} submissions of {lesson.name}; {os.cpu_count()} cores; "
              f"load average {os.getloadavg()[0]:.2f} at start")
        ways_asked = args.ways.split(",")
        same = True
        if "dask" in ways_asked:
            _, same = dask_path(scratch, base, lesson, args.students)
            print(f"load average {os.getloadavg()[0]:.2f} after the Dask path")
        if "local" not in ways_asked:
            return 0 if same else 1
        rows = []
        for i, (label, command) in enumerate(ways):
            root = scratch / f"way{i + 1}"
            shutil.copytree(base, root)
            seconds = timed([part.format(root=root) for part in command], cwd=root if i == 0 else ROOT)
            rows.append((label, seconds, scores(root, lesson)))
            print(f"  {label:<36} {seconds:7.1f} s  {args.students / seconds:6.2f} notebooks/s", flush=True)
        plain = rows[0][1]
        print()
        print(f"{'way':<36} {'seconds':>8} {'notebooks/s':>12} {'vs plain':>9}")
        for label, seconds, _ in rows:
            print(f"{label:<36} {seconds:8.1f} {args.students / seconds:12.2f} {plain / seconds:8.2f}x")
        print(f"--jobs 2 vs --jobs 1: {rows[1][1] / rows[2][1]:.2f}x")
        same = same and all(r[2] == rows[0][2] for r in rows) and len(rows[0][2]) == args.students
        print(f"scores identical in all three gradebooks ({len(rows[0][2])} students): {'yes' if same else 'NO'}")
        sandbox_costs(lesson)
        return 0 if same else 1
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
