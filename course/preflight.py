"""``python -m course check``: everything that must hold before a lesson ships.

1. source/ and release/ are what the build makes from course/lessons/ (nothing else in them).
2. Each source notebook runs top to bottom and passes its own tests (nbgrader's Validator).
3. Each release test cell fails while the answer cells hold their stubs.
4. Real nbgrader autograde: the instructor's solutions get full marks, the untouched
   release notebook gets zero on every test.
5. Each catalogued mistake loses points on its own function's tests and nowhere else, and
   is named there, in the test's message that the student's feedback shows; each
   catalogued alternative gets full marks.
6. No text from a hidden test appears in release/.
7. The lesson's student bundle can be made: none of its helpers imports a module it must
   hold back (tests/test_bundle.py searches the bundles further).
"""
import filecmp
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.validator import Validator
from traitlets.config import Config

from helpers import catalogue

from . import ROOT, CourseError, relative
from .scratch import autograde
from .build import build_into
from . import cells
from .cells import tested_function
from .submissions import fill, solutions



@dataclass
class Report:
    failures: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (lesson, seconds, points, tests)

    def step(self, label, problems, detail=""):
        status = "ok" if not problems else "FAILED"
        print(f"  {label:<58} {status}{f'  ({detail})' if detail else ''}", flush=True)
        for problem in problems:
            print(f"      - {problem}", flush=True)
            self.failures.append(f"{label}: {problem}")


def check(lessons):
    report = Report()
    print("[1] build", flush=True)
    report.step("[1] source/ and release/ match course/lessons/", stale(lessons))
    for lesson in lessons:
        source = ROOT / "source" / lesson.name / lesson.notebook_name
        release = ROOT / "release" / lesson.name / lesson.notebook_name
        try:
            source_nb, release_nb = _read(source), _read(release)
        except CourseError as error:
            report.step(f"{lesson.name}: notebooks readable", [str(error)])
            continue
        tests = [c for c in source_nb.cells if cells.is_test(c)]
        points = sum(cells.nbgrader(c)["points"] for c in tests)
        print(f"{lesson.name} ({points:g} points in {len(tests)} test cells)", flush=True)
        seconds, problems = execute_source(source)
        report.step("[2] source runs top to bottom and passes its tests", problems,
                    f"{seconds:.1f} s")
        report.step("[3] every release test fails on the stubs", stub_tests_pass(release),
                    f"{len(tests)} test cells")
        for label, problems, detail in demo_autograde(lesson, source_nb, release_nb, points):
            report.step(label, problems, detail)
        report.step("[6] no hidden test text in release/", hidden_leaks(source_nb, release))
        report.step("[7] student bundle holds back later lessons' modules", bundle_problems(lesson))
        report.rows.append((lesson.name, seconds, points, len(tests)))
    print("\nlesson                          run time   points   test cells")
    for name, seconds, points, count in report.rows:
        print(f"{name:<30} {seconds:7.1f} s  {points:7g}  {count:11d}")
    if report.failures:
        print(f"\ncheck FAILED: {len(report.failures)} problem(s)")
        return 1
    print(f"\ncheck passed: {len(lessons)} lesson(s)")
    return 0


def bundle_problems(lesson):
    from .bundle import student_bundle
    with tempfile.TemporaryDirectory(prefix="course-bundle-") as scratch:
        try:
            student_bundle(lesson, scratch)
        except CourseError as error:
            return [str(error)]
    return []


def stale(lessons):
    """Differences between the committed trees and a fresh build."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="course-check-") as scratch:
        try:
            built = build_into(lessons, scratch)
        except CourseError as error:
            return [str(error)]
        names = {lesson.name for lesson in lessons}
        for tree in ("source", "release"):
            for lesson in lessons:
                problems += _differences(Path(built) / tree / lesson.name, ROOT / tree / lesson.name)
            if len(names) == len(_all_lesson_names()):  # a full check also looks for strays
                extra = sorted(p.name for p in (ROOT / tree).iterdir() if p.name not in names) \
                    if (ROOT / tree).is_dir() else []
                problems += [f"{tree}/{e} has no lesson in course/lessons/: delete it" for e in extra]
    return problems


def _differences(built, committed):
    if not committed.is_dir():
        return [f"{relative(committed)}/ is missing: run python -m course build"]
    ours = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    problems = [f"{relative(committed / p)} should not be there (not built from the lesson: run python -m course build)"
                for p in theirs if p not in ours]
    problems += [f"{relative(committed / p)} is missing: run python -m course build" for p in ours if p not in theirs]
    problems += [f"{relative(committed / p)} is stale: run python -m course build"
                 for p in ours if p in theirs and not filecmp.cmp(built / p, committed / p, shallow=False)]
    return problems


def execute_source(path):
    """Run the source notebook with nbgrader's Validator; (seconds, problems)."""
    with tempfile.TemporaryDirectory(prefix="course-validate-") as scratch:
        copy = Path(shutil.copy(path, scratch))
        start = time.perf_counter()
        results = _validator(validate_all=True).validate(str(copy))
        seconds = time.perf_counter() - start
    problems = [f"cell {_first_line(cell['source'])}: {_last_line(cell['raw_error'])}"
                for cell in results.get("failed", [])]
    problems += [f"cell changed: {_first_line(cell['source'])}" for cell in results.get("changed", [])]
    return seconds, problems


def stub_tests_pass(path):
    """Release test cells that pass with the stubs in place (each one is a test that
    cannot fail)."""
    with tempfile.TemporaryDirectory(prefix="course-validate-") as scratch:
        copy = Path(shutil.copy(path, scratch))
        results = _validator(invert=True).validate(str(copy))
    return [f"test cell passes on the stubs: {_first_line(cell['source'])}"
            for cell in results.get("passed", [])]


def demo_autograde(lesson, source_nb, release_nb, points):
    """Steps 4 and 5 in one real autograde run; yields (label, problems, detail)."""
    answers = solutions(source_nb)
    functions = list(answers)
    students = {"solutions": fill(release_nb, answers), "untouched": release_nb}
    entries = {}
    for function in functions:
        for entry in catalogue.entries(function):
            student = f"{entry.kind}-{function}-{entry.name}"
            entries[student] = entry
            students[student] = fill(release_nb, {**answers, function: entry.as_answer()})
    graded = {}
    try:
        scores = autograde(lesson, students, graded)
    except CourseError as error:
        yield "[4] autograde: solutions full marks, untouched zero", [str(error)], ""
        return
    perfect = sum(s for s, _ in scores["solutions"].values())
    blank = {cell: s for cell, (s, _) in scores["untouched"].items() if s}
    problems = []
    if perfect != points:
        problems.append(f"the instructor's solutions scored {perfect:g} of {points:g}")
    problems += [f"the untouched notebook scored {s:g} on {cell}" for cell, s in blank.items()]
    yield ("[4] autograde: solutions full marks, untouched zero", problems,
           f"solutions {perfect:g}/{points:g}, untouched {sum(blank.values()):g}/{points:g}")

    problems, counts = [], {"mistake": 0, "alternative": 0}
    for function in functions:
        if not any(e.function == function for e in entries.values()):
            problems.append(f"{function} has no catalogue file tests/mistakes/{function}.py")
        kinds = [e.kind for e in entries.values() if e.function == function]
        if kinds.count("mistake") < 3 or kinds.count("alternative") < 1:
            problems.append(f"{function} needs at least 3 mistakes and 1 alternative in "
                            f"tests/mistakes/{function}.py (has {kinds.count('mistake')} and "
                            f"{kinds.count('alternative')})")
    for student, entry in entries.items():
        counts[entry.kind] += 1
        own = {cell: s for cell, s in scores[student].items() if tested_function(cell, functions) == entry.function}
        others = {cell: s for cell, s in scores[student].items() if cell not in own}
        lost_elsewhere = [cell for cell, (s, m) in others.items() if s < m]
        if lost_elsewhere:
            problems.append(f"{entry.kind} {entry.function}/{entry.name} lost points on other "
                            f"functions' tests: {', '.join(lost_elsewhere)}")
        lost = sum(m - s for s, m in own.values())
        if entry.kind == "mistake" and lost == 0:
            problems.append(f"mistake {entry.function}/{entry.name} keeps full marks: its tests "
                            f"do not catch \"{entry.description}\"")
        elif entry.kind == "mistake" and not named(graded[student], entry):
            problems.append(f"mistake {entry.function}/{entry.name} is not named: no message of "
                            f"its tests says \"{entry.description}\"")
        if entry.kind == "alternative" and lost > 0:
            problems.append(f"alternative {entry.function}/{entry.name} lost {lost:g} points")
    yield ("[5] catalogue: mistakes lose points, alternatives keep them", problems,
           f"{counts['mistake']} mistakes, {counts['alternative']} alternatives")


def named(autograded, entry):
    """Whether a message of one of the entry's function's test cells, as the autograded
    notebook (and so the feedback) holds it, names the mistake by its description."""
    return autograded is not None and any(
        entry.description in output.get("evalue", "")
        for cell in cells.tests_of(autograded, entry.function)
        for output in cell.outputs if output.output_type == "error")


def hidden_leaks(source_nb, release_path):
    """Lines that only hidden tests contain, found in the release notebook."""
    secret = cells.hidden_lines(source_nb)
    released = _read(release_path)
    problems = []
    for cell in released.cells:
        for line in cell.source.splitlines():
            if line.strip() in secret or any(marker in line for marker in cells.HIDDEN_TESTS):
                problems.append(f"release has hidden-test line: {line.strip()[:60]}")
    return problems


def _validator(**traits):
    config = Config()
    config.Execute.timeout = 120
    validator = Validator(config=config)
    for name, value in traits.items():
        setattr(validator, name, value)
    return validator


def _read(path):
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise CourseError(f"{relative(path)} is missing: run python -m course build") from None
    except Exception as error:
        raise CourseError(f"{relative(path)} is not a readable notebook ({type(error).__name__}): "
                          "rebuild it with python -m course build") from None


def _all_lesson_names():
    from .lesson_files import all_lessons
    return [lesson.name for lesson in all_lessons()]


def _first_line(text):
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:60]


def _last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no message)"
