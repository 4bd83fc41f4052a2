"""The course's tooling: ``python -m course build|check ...``."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "course" / "lessons"


class CourseError(Exception):
    """A problem the user can fix; shown as one line, without a traceback."""


def relative(path: str | Path) -> str:
    """``path`` as the user knows it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
