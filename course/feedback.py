"""``python -m course feedback <assignment>``: nbgrader's feedback for students, proven free
of hidden tests.

nbgrader's generate_feedback turns each autograded notebook into
``feedback/<student>/<assignment>/<assignment>.html``; the course's configuration strips
hidden tests from it (ClearHiddenTests). Then every page is read back: a line of a hidden
test (from ``source/``) that appears in a page is a leak, and that page is deleted before
anyone can hand it out, and the command fails naming it.
"""
import html
import re
from pathlib import Path

from . import CourseError
from .grade import course_settings, gradebook_url, inspect_gradebook, shown

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def hidden_lines(source_nb):
    """Lines that only hidden tests contain (a line also in visible code is no secret)."""
    hidden, visible, inside = set(), set(), False
    for cell in source_nb.cells:
        for line in cell.source.splitlines():
            text = line.strip()
            if text.startswith(BEGIN):
                inside = True
            elif text.startswith(END):
                inside = False
            elif text:
                (hidden if inside else visible).add(text)
    return hidden - visible


def page_lines(path):
    """The text lines a reader of an HTML page sees."""
    text = html.unescape(re.sub(r"<[^>]+>", "", Path(path).read_text(errors="replace")))
    return {line.strip() for line in text.splitlines() if line.strip()}


def feedback(lesson, root, db_url=None, students=None):
    """Generate feedback for every autograded student of ``lesson`` (or ``students``);
    returns the list of pages written. Raises CourseError on a leak."""
    import nbformat
    root = Path(root).resolve()
    course_id, _ = course_settings(root)
    db_url = gradebook_url(root, db_url)
    assignments = inspect_gradebook(db_url, course_id)
    if not assignments or lesson.name not in assignments:
        raise CourseError(f"the gradebook {shown(db_url)} has no grades for {lesson.name}; "
                          f"run python -m course grade {lesson.name} first")
    graded = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{lesson.name}") if p.is_dir())
    if students:
        missing = [s for s in students if s not in graded]
        if missing:
            raise CourseError(f"{missing[0]!r} has no autograded {lesson.name} in {root / 'autograded'}")
        graded = [s for s in graded if s in students]
    if not graded:
        raise CourseError(f"no autograded notebooks of {lesson.name} under {root / 'autograded'}; "
                          f"run python -m course grade {lesson.name} first")
    source = root / "source" / lesson.name / lesson.notebook_name
    if not source.is_file():
        raise CourseError(f"{source} is missing: it is needed to prove that no hidden test leaks")
    secret = hidden_lines(nbformat.read(source, as_version=4))

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = db_url
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    pages, failures = [], []
    for student in graded:
        result = api.generate_feedback(lesson.name, student)
        page = root / "feedback" / student / lesson.name / f"{lesson.name}.html"
        if not result.get("success") or not page.is_file():
            failures.append(f"{student}: {_last_error(result)}")
            continue
        leaked = sorted(secret & page_lines(page))
        if leaked:
            page.unlink()
            raise CourseError(f"feedback for {student} showed a hidden test line ({leaked[0]!r}); "
                              "it was deleted: check GenerateFeedback.preprocessors in nbgrader_config.py")
        pages.append(page)
    if failures:
        raise CourseError(f"feedback failed for {len(failures)} student(s): {failures[0]}")
    return pages


def _last_error(result):
    lines = [line for line in ((result.get("error") or "") + (result.get("log") or "")).splitlines()
             if line.strip()]
    return lines[-1].strip()[:200] if lines else "no feedback page was written"
