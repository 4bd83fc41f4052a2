"""``python -m course demo``: an instructor's grading day on a made-up class.

In a course directory of its own (``demo/`` by default, never the real gradebook), it
submits a handful of synthetic students for one lesson, as students would hand them in:

- ``perfect``: the instructor's solutions;
- ``blank``: the release notebook, untouched;
- ``mistake_<function>``: one typical mistake (the first in the mistake catalogue) in
  one function, one student per graded function;
- ``two_mistakes``: the first function's mistake again and the second function's
  next catalogued mistake;
- ``crash``: an answer cell that kills the kernel.

Then it grades them (``course grade``, SQLite gradebook), which fills ``autograded/``,
writes the report (``course report``) and the students' feedback (``course feedback``).
"""
import shutil
from pathlib import Path

import nbformat

from . import ROOT, CourseError
from .nbgrader_run import new_course
from .submissions import fill, solutions

MARKER = ".course-demo"
DEFAULT_LESSON = "01_forward_propagation"
CRASH = "import os\nos._exit(1)  # the kernel dies here\n"


def students(lesson):
    """{student: notebook} for the synthetic class of ``lesson``."""
    from helpers import catalogue
    source = nbformat.read(ROOT / "source" / lesson.name / lesson.notebook_name, as_version=4)
    release = nbformat.read(ROOT / "release" / lesson.name / lesson.notebook_name, as_version=4)
    answers = solutions(source)
    functions = [f for f in answers if catalogue.entries(f, kind="mistake")]
    class_ = {"perfect": fill(release, answers), "blank": release}
    for function in functions:
        first = catalogue.entries(function, kind="mistake")[0]
        class_[f"mistake_{function}"] = fill(release, {**answers, function: first.as_answer()})
    if len(functions) >= 2:
        first = catalogue.entries(functions[0], kind="mistake")[0]
        others = catalogue.entries(functions[1], kind="mistake")
        second = others[1] if len(others) > 1 else others[0]
        class_["two_mistakes"] = fill(release, {**answers, functions[0]: first.as_answer(),
                                                functions[1]: second.as_answer()})
    if answers:
        victim = next(iter(answers))
        class_["crash"] = fill(release, {**answers, victim: CRASH + answers[victim]})
    return class_


def fresh_course(folder, lesson):
    """An empty course directory at ``folder`` for the demo (an earlier demo's is replaced;
    any other non-empty folder is refused)."""
    folder = Path(folder).resolve()
    if folder.exists():
        if not (folder / MARKER).exists() and any(folder.iterdir()):
            raise CourseError(f"{folder} is not empty and not a demo course: choose another --dir")
        shutil.rmtree(folder)
    root = new_course(folder)
    (root / MARKER).write_text("made by python -m course demo; deleted by the next demo\n")
    shutil.copytree(ROOT / "source" / lesson.name, root / "source" / lesson.name)
    return root


def demo(lesson, folder, jobs=2):
    from .feedback import feedback
    from .grade import grade, print_report
    from .report import display_path, report, summary
    root = fresh_course(folder, lesson)
    class_ = students(lesson)
    for student, nb in class_.items():
        target = root / "submitted" / student / lesson.name
        target.mkdir(parents=True)
        nbformat.write(nb, target / lesson.notebook_name)
    print(f"demo course in {display_path(root)}: {len(class_)} synthetic students submitted {lesson.name}",
          flush=True)
    results = grade(lesson, jobs=jobs, root=root)
    print_report(lesson, results)
    out, data = report(lesson, root)
    pages = feedback(lesson, root)
    print(summary(out, data))
    print(f"feedback for {len(pages)} students in {display_path(root / 'feedback')}")
    return root, results, data
