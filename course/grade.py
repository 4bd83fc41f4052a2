"""``python -m course grade <assignment> [--jobs N] [--db URL]``: autograde a class.

Every student in ``submitted/`` is graded by real nbgrader autograde, spread over N
worker processes (``course.grading.worker``) that share one gradebook. Before that,
each submission is looked at: an unreadable or missing notebook is reported by name and
skipped, a notebook saved under another name is graded under the expected one. One
student's failure never stops the others; each is reported in one line.
"""
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import ROOT, CourseError
from .nbgrader_run import environment


@dataclass
class StudentResult:
    student: str
    graded: bool = False
    seconds: float = 0.0
    problems: list = field(default_factory=list)


def students_of(root, lesson):
    submitted = Path(root) / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{lesson.name}") if p.is_dir()) \
        if submitted.is_dir() else []
    if not found:
        raise CourseError(f"no submissions for {lesson.name}: expected "
                          f"submitted/<student>/{lesson.name}/{lesson.notebook_name} under {root}")
    return found


def prepare(root, lesson, student):
    """Problems with a submission before grading; the last one is fatal when it says so."""
    folder = Path(root) / "submitted" / student / lesson.name
    expected = folder / lesson.notebook_name
    problems = []
    if not expected.exists():
        others = sorted(folder.glob("*.ipynb"))
        if len(others) != 1:
            return [f"no notebook {lesson.notebook_name} in submitted/{student}/{lesson.name}/"
                    + (f" (found {', '.join(p.name for p in others)})" if others else "")], False
        shutil.copy(others[0], expected)
        problems.append(f"notebook saved as {others[0].name}; graded as {lesson.notebook_name}")
    try:
        nb = nbformat.read(expected, as_version=4)
        if not nb.cells:
            raise ValueError("it has no cells")
    except Exception as error:
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        return problems + [f"{lesson.notebook_name} cannot be read as a notebook ({reason}); "
                           "ask the student to resubmit"], False
    return problems, True


def grade(lesson, jobs=1, db_url=None, root=ROOT, progress=True):
    root = Path(root)
    db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    results = {s: StudentResult(s) for s in students_of(root, lesson)}
    ready = []
    for student, result in results.items():
        result.problems, ok = prepare(root, lesson, student)
        if ok:
            ready.append(student)
    shards = [ready[i::jobs] for i in range(max(1, jobs))]
    workers = [subprocess.Popen(
        [sys.executable, "-m", "course.grading.worker", str(root), lesson.name, db_url, *shard],
        cwd=root, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for shard in shards if shard]
    done, start = 0, time.perf_counter()
    for worker in workers:  # each worker reports its students in order
        for line in worker.stdout:
            report = json.loads(line)
            result = results[report["student"]]
            result.graded, result.seconds = report["success"], report["seconds"]
            if not report["success"]:
                result.problems.append(_why(report["log"]))
            result.problems += _warnings(report["log"])
            done += 1
            if progress and sys.stderr.isatty():
                _bar(done, len(ready), time.perf_counter() - start)
        worker.wait()
    if progress and ready:
        rate = len(ready) / max(time.perf_counter() - start, 1e-9)
        print(f"\rgraded {len(ready)} notebooks in {time.perf_counter() - start:.1f} s "
              f"({rate:.2f} notebooks/s, {len(workers)} worker(s))", file=sys.stderr)
    for student in ready:
        if not results[student].graded and not results[student].problems:
            results[student].problems.append("the grading worker stopped before this student")
    return list(results.values())


def _why(log):
    """The most telling line of nbgrader's log: the last exception that is not its summary."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b.*:", line)
              and "NbGraderException" not in line]
    errors = [line for line in lines if "ERROR" in line and "see the the above" not in line]
    reason = raised[-1] if raised else errors[-1] if errors else "no reason given"
    return f"grading failed: {reason[:300]}"


def _warnings(log):
    keep = ("submission:", "Missing grade cell", "cell type has changed", "Cell type has changed")
    seen = []
    for line in log.splitlines():
        if any(k in line for k in keep):
            text = line.split("] ", 1)[-1].strip()
            if text not in seen:
                seen.append(text)
    return seen


def _bar(done, total, seconds):
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / seconds if seconds > 0 else 0.0
    print(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.2f} notebooks/s",
          end="", file=sys.stderr, flush=True)


def print_report(lesson, results):
    graded = sum(r.graded for r in results)
    print(f"{lesson.name}: {graded} of {len(results)} students graded")
    for r in results:
        if r.problems or not r.graded:
            status = "graded" if r.graded else "NOT GRADED"
            print(f"  {r.student}: {status}: " + "; ".join(r.problems))
