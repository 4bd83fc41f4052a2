"""``python -m course feedback <assignment>``: nbgrader's feedback for students, proven free
of hidden tests and of the course's solutions.

nbgrader's generate_feedback turns each autograded notebook into
``feedback/<student>/<assignment>/<assignment>.html``; the course's configuration strips
hidden tests from it (ClearHiddenTests). Then every page is checked
(:mod:`course.leaks`): a page that shows a hidden-test line, or whose outputs hold a
line of the course's solutions or hidden tests (plain or encoded) that the student did not
write, is withheld: deleted before anyone can hand it out and listed with the reason in
``feedback/withheld-<assignment>.txt``. One student's page never stops the others': the
command writes every other page, then prints the withheld list and fails.
"""
import html
import re
import sys
from pathlib import Path

from . import CourseError
from .gradebook import course_settings, gradebook_url, inspect_gradebook, shown
from .leaks import leak, secrets_of


def page_lines(path) -> set:
    """The text lines a reader of an HTML page sees."""
    text = html.unescape(re.sub(r"<[^>]+>", "", Path(path).read_text(errors="replace")))
    return {line.strip() for line in text.splitlines() if line.strip()}


def feedback(lesson, root, db_url=None, students=None):
    """Generate feedback for every autograded student of ``lesson`` (or ``students``);
    returns the list of pages written. A page that would leak is withheld and listed;
    after every other page is written, CourseError names how many and where the list is."""
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
    secrets = secrets_of(lesson, root, nbformat.read(source, as_version=4))

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = db_url
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    pages, failures, withheld = [], [], {}
    for student in graded:
        result = api.generate_feedback(lesson.name, student)
        page = root / "feedback" / student / lesson.name / f"{lesson.name}.html"
        if not result.get("success") or not page.is_file():
            failures.append(f"{student}: {_last_error(result)}")
            continue
        try:
            graded_nb = nbformat.read(root / "autograded" / student / lesson.name / lesson.notebook_name,
                                      as_version=4)
        except (OSError, ValueError) as error:  # a page that cannot be checked is not handed out
            page.unlink()
            failures.append(f"{student}: its autograded notebook cannot be read ({error})")
            continue
        try:
            reason = leak(page_lines(page), graded_nb, secrets)
        except Exception as error:  # a page the check cannot read is not handed out either
            reason = f"the leak check could not read it ({type(error).__name__}: {error})"
        if reason:
            page.unlink()
            withheld[student] = reason
            continue
        pages.append(page)
    listed = record_withheld(root / "feedback" / f"withheld-{lesson.name}.txt", graded, withheld)
    problems = []
    if withheld:
        for student, reason in withheld.items():
            print(f"withheld: {student}: {reason}", file=sys.stdout, flush=True)
        from .report import display_path
        problems.append(f"feedback withheld for {len(withheld)} of {len(graded)} student(s) (a page "
                        "would have shown a hidden test or the course's solution); listed in "
                        f"{display_path(listed)}")
    if failures:
        problems.append(f"feedback failed for {len(failures)} student(s): {failures[0]}")
    if problems:
        raise CourseError("; ".join(problems))
    return pages


def record_withheld(path: Path, students: list, withheld: dict) -> Path | None:
    """Update the list of withheld pages at ``path``: ``students`` (this run's) leave it
    unless ``withheld`` names them; others stay as an earlier run left them. Returns the
    path, or None when the list is empty (and the file then removed)."""
    kept = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            student, _, reason = line.partition("\t")
            if student and not student.startswith("#") and student not in students:
                kept[student] = reason
    kept.update(withheld)
    if not kept:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# feedback pages withheld by python -m course feedback (student, tab, why); "
                    "never hand these students a page without looking at it\n"
                    + "".join(f"{student}\t{reason}\n" for student, reason in sorted(kept.items())))
    return path


def _last_error(result):
    lines = [line for line in ((result.get("error") or "") + (result.get("log") or "")).splitlines()
             if line.strip()]
    return lines[-1].strip()[:200] if lines else "no feedback page was written"
