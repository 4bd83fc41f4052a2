"""``python -m course build``: lessons -> source/ notebooks -> release/ with nbgrader."""
import shutil
import tempfile
from pathlib import Path

import nbformat

from . import ROOT, contracts_page, hints
from .bundle import write_helpers
from .lesson_files import read
from .nbgrader_run import nbgrader, new_course


def build_into(lessons, root):
    """Write ``source/<a>/<a>.ipynb`` and nbgrader's ``release/<a>/`` under ``root``.
    The lesson's student-safe ``helpers`` goes beside the source notebook: nbgrader copies
    it into release/ (so a fetched lesson imports it), and autograde puts it back over a
    submission's copy."""
    root = new_course(root)
    for lesson in lessons:
        folder = root / "source" / lesson.name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(read(lesson), folder / lesson.notebook_name)
        write_helpers(lesson, folder)
        nbgrader(root, "generate_assignment", lesson.name, "--force")
    return root


def build(lessons):
    """Rebuild the committed ``source/`` and ``release/`` of ``lessons`` in this repository,
    the student hints (helpers/hints/) and CONTRACTS.md. The build runs in a scratch course,
    so no gradebook is left behind."""
    for path in hints.write_all():  # before the helpers are copied beside the notebooks
        print(f"wrote {path.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory(prefix="course-build-") as scratch:
        built = build_into(lessons, scratch)
        for lesson in lessons:
            for tree in ("source", "release"):
                target = ROOT / tree / lesson.name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(Path(built) / tree / lesson.name, target)
                print(f"wrote {target.relative_to(ROOT)}/")
    print(f"wrote {contracts_page.write().relative_to(ROOT)}")
