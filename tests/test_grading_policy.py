"""What the grader decides, and no submission can change (issue 12, items 1, 3 and 4):

- an answer may call only earlier lessons' references and those its contract ``uses``
  (course.preprocessors.verify_tests.allowed_references);
- a cell's time limit is the instructor's, from ``source/``, never the submission's own
  metadata (GradingExecute);
- the score-deciding code, the mistake catalogue included, is loaded when the grader is
  imported, so a catalogue file changed afterwards is never executed.
"""
import ast
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Instance
from traitlets.config import Configurable

from course import ROOT, lesson_files
from course.bundle import reference_lessons
from course.isolation.sandbox import Sandbox
from course.preprocessors.grading_execute import NOT_RUN, GradingExecute
from course.preprocessors.verify_tests import allowed_references, run_test_cell
from course.nbgrader_run import environment
from helpers import catalogue, reference
from helpers.contracts import CONTRACTS
from test_catalogue import GRADED

LESSON_OF = {function: lesson for lesson, function, _, _ in GRADED if function}
FUNCTIONS = {lesson: functions for lesson, function, functions, _ in GRADED if function}
ORDER = [lesson.name for lesson in lesson_files.all_lessons()]
CASES = [pytest.param(function, functions, cells, id=function) for _, function, functions, cells in GRADED
         if function]


# --- item 3: references an answer may call ------------------------------------------

@pytest.mark.parametrize("function, functions, cells", CASES)
def test_an_answer_may_call_earlier_lessons_references_and_its_uses_only(function, functions, cells):
    allowed = set(allowed_references(function, functions))
    lesson = ORDER.index(LESSON_OF[function])
    earlier = {name for name, index in reference_lessons().items() if index < lesson}
    assert allowed == earlier | set(CONTRACTS[function].uses)


def test_lesson_01_may_not_call_lesson_04s_softmax():
    functions = FUNCTIONS["01_forward_propagation"]
    assert "softmax" not in allowed_references("sigmoid", functions)
    assert "softmax" in allowed_references("mse_loss", FUNCTIONS["06_loss_functions"])
    assert allowed_references("mlp_forward", functions) == ("dense_forward", "sigmoid")  # its uses


def test_a_later_lessons_reference_is_refused_when_graded():
    """Lesson 01's sigmoid written as lesson 04's softmax of [z, 0] is right, and earns nothing."""
    answer = ("import numpy as np\nfrom helpers.reference import softmax\n"
              "def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n"
              "    return softmax(np.stack([z, np.zeros_like(z)], axis=-1))[..., 0]\n")
    functions = FUNCTIONS["01_forward_propagation"]
    cells = next(c for _, f, _, c in GRADED if f == "sigmoid")
    box = Sandbox("sigmoid", answer, allowed_references("sigmoid", functions), 10.0)
    try:
        errors = [o.evalue for _, source in cells for o in run_test_cell(source, ["sigmoid"], lambda f: box)
                  if o.output_type == "error"]
    finally:
        box.close()
    assert len(errors) == len(cells)
    assert all("softmax" in e and "write sigmoid yourself" in e for e in errors), errors[0]


def _called_references(entry):
    """The reference names an entry's answer calls without defining them itself."""
    tree = ast.parse(entry.as_answer())
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    loaded = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return (loaded & set(reference.__all__)) - defined


@pytest.mark.parametrize("function, functions, cells", CASES)
def test_every_catalogue_entry_calls_only_references_it_is_allowed(function, functions, cells):
    allowed = set(allowed_references(function, functions))
    refused = {f"{e.name}: {sorted(_called_references(e) - allowed)}" for e in catalogue.entries(function)
               if _called_references(e) - allowed}
    assert not refused


# --- item 4: a cell's time limit is the instructor's --------------------------------

def _cell(grade_id, timeout=None, source="pass"):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": True,
                                     "schema_version": 3, "solution": False, "task": False}
    if timeout is not None:
        cell.metadata["course"] = {"timeout": timeout}
    return cell


def _source_course(root, assignment, cells):
    folder = root / "source" / assignment
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / f"{assignment}.ipynb")


def _resources(root, assignment):
    return {"nbgrader": {"assignment": assignment, "notebook": assignment, "student": "s",
                         "db_url": f"sqlite:///{root / 'gradebook.db'}"},
            "metadata": {"path": str(root)}}


def test_time_limits_come_from_the_source_notebook_not_the_submission(tmp_path, monkeypatch):
    _source_course(tmp_path, "lesson", [_cell("slow_demo", 60), _cell("plain"), _cell("no_limit", 0)])
    submitted = nbformat.v4.new_notebook(cells=[
        _cell("slow_demo", 0),  # the student's copy claims no limit
        _cell("plain", 100000),
        _cell("no_limit"),  # the instructor's own 0 (no limit) holds
        _cell(None, 0),  # a cell the student added
        _cell("mine", 0),  # a grade_id the source does not have
    ])
    seen = []
    monkeypatch.setattr(Execute, "preprocess",
                        lambda self, nb, resources=None, km=None: seen.extend(map(self._cell_timeout, nb.cells)))
    monkeypatch.chdir(tmp_path)  # nbgrader runs preprocessors from the course root
    GradingExecute(cell_timeout=7).preprocess(submitted, _resources(tmp_path, "lesson"))
    assert seen == [60, 7, 0, 7, 7]


def test_the_source_is_found_through_the_nbgrader_app_that_runs_the_preprocessor(tmp_path, monkeypatch):
    """nbgrader's converter (the exporter's parent) knows the course directory: it counts
    over the working directory."""
    class Converter(Configurable):  # what nbgrader's Autograde is to its exporter
        coursedir = Instance(CourseDirectory)

    course = tmp_path / "course"
    _source_course(course, "lesson", [_cell("slow_demo", 60)])
    exporter = Configurable(parent=Converter(coursedir=CourseDirectory(root=str(course))))
    seen = []
    monkeypatch.setattr(Execute, "preprocess",
                        lambda self, nb, resources=None, km=None: seen.extend(map(self._cell_timeout, nb.cells)))
    monkeypatch.chdir(tmp_path)  # not the course root
    GradingExecute(parent=exporter, cell_timeout=7).preprocess(
        nbformat.v4.new_notebook(cells=[_cell("slow_demo", 0)]), _resources(course, "lesson"))
    assert seen == [60]


def test_without_a_source_notebook_every_cell_gets_the_default(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(Execute, "preprocess",
                        lambda self, nb, resources=None, km=None: seen.extend(map(self._cell_timeout, nb.cells)))
    monkeypatch.chdir(tmp_path)
    GradingExecute(cell_timeout=7).preprocess(nbformat.v4.new_notebook(cells=[_cell("slow_demo", 0)]),
                                              _resources(tmp_path, "lesson"))
    assert seen == [7]


def test_a_submission_cannot_lift_its_own_time_limit(tmp_path, monkeypatch):
    """Run for real: a cell whose metadata asks for no limit still stops at cell_timeout."""
    lesson = "01_forward_propagation"
    _source_course(tmp_path, lesson, [_cell("demo")])
    submitted = nbformat.v4.new_notebook(cells=[
        _cell("demo", 0, "import time\ntime.sleep(600)"),
        _cell(None, 0, "print('second cell ran')"),
    ])
    submitted.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    GradingExecute(cell_timeout=3).preprocess(submitted, _resources(tmp_path, lesson))
    assert time.monotonic() - start < 60
    assert any(o.get("ename") == "CellTimeoutError" for o in submitted.cells[0].outputs)
    assert submitted.cells[1].outputs[0].text == NOT_RUN  # grading stops at the first timeout


# --- item 1: score-deciding code is loaded before any student code runs -------------

def test_the_catalogue_is_read_once_and_then_served_from_memory(tmp_path, monkeypatch):
    marker = tmp_path / "executed"
    (tmp_path / "f.py").write_text(
        "from helpers.catalogue import mistake\n"
        "@mistake('the first version')\ndef first(x):\n    return x\n")
    monkeypatch.setenv("COURSE_MISTAKES_DIR", str(tmp_path))
    assert [e.description for e in catalogue.entries("f")] == ["the first version"]
    (tmp_path / "f.py").write_text(f"open({str(marker)!r}, 'w').close()\n"
                                   "from helpers.catalogue import mistake\n"
                                   "@mistake('planted')\ndef planted(x):\n    return 0\n")
    (tmp_path / "g.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    assert [e.description for e in catalogue.entries("f")] == ["the first version"]
    assert catalogue.entries("g") == [] and catalogue.functions_with_entries() == ["f"]
    assert not marker.exists()


def test_a_broken_catalogue_file_costs_only_its_own_entries(tmp_path, monkeypatch):
    (tmp_path / "bad.py").write_text("raise RuntimeError('broken')\n")
    (tmp_path / "good.py").write_text("from helpers.catalogue import alternative\n"
                                      "@alternative('fine')\ndef fine(x):\n    return x\n")
    monkeypatch.setenv("COURSE_MISTAKES_DIR", str(tmp_path))
    assert [e.kind for e in catalogue.entries("good")] == ["alternative"]
    with pytest.raises(catalogue.CatalogueError, match="bad.py could not be loaded: RuntimeError: broken"):
        catalogue.entries("bad")


PLANT = """
import os, sys, pathlib
catalogue_dir = pathlib.Path(os.environ["COURSE_MISTAKES_DIR"])
import course.preprocessors  # what nbgrader does before the first notebook
from helpers import catalogue
assert catalogue_dir.resolve() in catalogue._LOADED  # loaded by the import, not on demand
before = [e.name for e in catalogue.entries("dense_forward")]
assert "helpers.reference" in sys.modules and "helpers.contracts" in sys.modules
# a student's cell writes into the catalogue while the class is graded
(catalogue_dir / "dense_forward.py").write_text(
    "open(%r, 'w').close()\\nfrom helpers.catalogue import mistake\\n"
    "@mistake('planted')\\ndef planted(x, W, b):\\n    return x @ W + b\\n" % sys.argv[1])
(catalogue_dir / "sigmoid.py").unlink()
from helpers.check import check_example
import numpy as np
x, W, b = np.arange(6.0).reshape(2, 3), np.ones((3, 2)), np.array([1.0, -2.0])
try:  # a check that fails: the harness looks for the mistake in the catalogue
    check_example("dense_forward", lambda x, W, b: x @ W, (x, W, b), expected=x @ W + b)
except AssertionError as failure:
    assert "the bias b was never added" in str(failure) and "planted" not in str(failure), failure
assert [e.name for e in catalogue.entries("dense_forward")] == before, before
assert len(catalogue.entries("sigmoid", kind="mistake")) >= 3
print("ok", len(catalogue.functions_with_entries()))
"""


def test_importing_the_grader_loads_the_whole_catalogue_before_any_notebook(tmp_path):
    mistakes = tmp_path / "mistakes"
    mistakes.mkdir()
    for path in (ROOT / "tests" / "mistakes").glob("*.py"):
        (mistakes / path.name).write_text(path.read_text())
    marker = tmp_path / "planted_code_ran"
    count = len(list(mistakes.glob("*.py")))
    done = subprocess.run([sys.executable, "-c", PLANT, str(marker)], cwd=ROOT, capture_output=True, text=True,
                          env={**environment(), "COURSE_MISTAKES_DIR": str(mistakes)}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["ok", str(count)]  # sigmoid.py's removal changed nothing
    assert not marker.exists()
