"""Grading holds up against hostile, broken and malformed submissions.

A class of lesson 01 submissions, each an edited release notebook as a student would
hand it in, is graded once with `course grade` (real nbgrader autograde, two workers)
in a scratch course; the tests read the gradebook, the autograded notebooks and the
per-student report.
"""
import copy
import html as html_module
import re
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

from course import ROOT, cells, lesson_files
from course.grade import grade
from course.nbgrader_run import nbgrader
from course.scratch import scratch_course, submit
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
SOURCE = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
RELEASE = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
ANSWERS = solutions(SOURCE)
WRONG = "def dense_forward(x, W, b):\n    return x @ W  # wrong: no bias\n"
DENSE = {"test_dense_forward", "test_dense_forward_more"}

# A wrong dense_forward combined with a trick: none of them may earn a point.
TRICKS = {
    "patch_numpy": "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                   "np.testing.assert_allclose = lambda *a, **k: None\n"
                   "np.array_equal = lambda *a, **k: True\nnp.abs = lambda x: 0 * x\n" + WRONG,
    "patch_helpers": "import helpers.check as hc\nhc.check_example = hc.check_reference = lambda *a, **k: None\n"
                     "hc._check = lambda *a, **k: None\nhc._compare_returns = lambda *a: None\n" + WRONG,
    "patch_builtins": "import builtins\nbuiltins.AssertionError = type('Quiet', (Exception,), {})\n"
                      "builtins.isinstance = lambda *a: True\n" + WRONG,
    "hide_errors": "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n" + WRONG,
    "lying_eq": "class Anything:\n    shape = (2, 2)\n    dtype = float\n"
                "    def __eq__(self, other):\n        return True\n"
                "    __ne__ = lambda self, other: False\n"
                "def dense_forward(x, W, b):\n    return Anything()\n",
    "ndarray_subclass": "import numpy as np\nclass Agreeable(np.ndarray):\n"
                        "    def __eq__(self, other):\n        return np.ones(np.shape(other), bool)\n"
                        "def dense_forward(x, W, b):\n    return (x @ W).view(Agreeable)\n",
}
# A right answer that is not the student's own work.
REFERENCE_CALLS = {
    "ref_import": "def dense_forward(x, W, b):\n    from helpers.reference import dense_forward as ref\n"
                  "    return ref(x, W, b)\n",
    "ref_importlib": "import importlib\ndef dense_forward(x, W, b):\n"
                     "    return importlib.import_module('helpers.reference.forward').dense_forward(x, W, b)\n",
    "ref_by_path": "import importlib.util, pathlib, helpers\n"
                   "def dense_forward(x, W, b):\n"
                   "    path = pathlib.Path(helpers.__file__).parent / 'reference' / 'forward.py'\n"
                   "    spec = importlib.util.spec_from_file_location('mine', path)\n"
                   "    module = importlib.util.module_from_spec(spec)\n"
                   "    spec.loader.exec_module(module)\n"
                   "    return module.dense_forward(x, W, b)\n",
    "ref_sys_modules": "import sys\ndef dense_forward(x, W, b):\n"
                       "    loaded = [m for name, m in sys.modules.items() if name.startswith('helpers.reference.')]\n"
                       "    return next(m.dense_forward for m in loaded if hasattr(m, 'dense_forward'))(x, W, b)\n",
    "ref_gc": "import gc\ndef dense_forward(x, W, b):\n"
              "    found = [f for f in gc.get_objects() if callable(f) and getattr(f, '__name__', '') == 'dense_forward'\n"
              "             and 'reference' in getattr(f, '__module__', '')]\n"
              "    return found[0](x, W, b)\n",
    "ref_exec": "import helpers, os\n"
                "def dense_forward(x, W, b):\n"
                "    scope = {}\n"
                "    exec(open(os.path.join(os.path.dirname(helpers.__file__), 'reference', 'forward.py')).read(), scope)\n"
                "    return scope['dense_forward'](x, W, b)\n",
}
# Faults in dense_forward: its tests score zero, everything else is graded.
FAULTS = {
    "infinite_loop": "def dense_forward(x, W, b):\n    while True:\n        pass\n",
    "os_exit": "import os\ndef dense_forward(x, W, b):\n    os._exit(3)\n",
    "segfault": "import ctypes\nctypes.string_at(0)\ndef dense_forward(x, W, b):\n    return x @ W + b\n",
    "memory": "import numpy as np\ndef dense_forward(x, W, b):\n    return np.ones((10 ** 6, 10 ** 6)) @ W + b\n",
    "recursion": "def dense_forward(x, W, b):\n    return dense_forward(x, W, b)\n",
    "output_flood": "print('x' * 5_000_000)\ndef dense_forward(x, W, b):\n"
                    "    print('y' * 5_000_000)\n    return x @ W\n",
}


def by_id(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def malformed():
    good = fill(RELEASE, ANSWERS)
    out = {"invalid_json": nbformat.writes(good)[:400], "empty": ""}

    def edited(change):
        nb = copy.deepcopy(good)
        change(nb)
        return nbformat.writes(nb)
    out["deleted_test"] = edited(lambda nb: nb.cells.pop(by_id(nb, "test_dense_forward")))
    out["duplicated"] = edited(lambda nb: nb.cells.insert(by_id(nb, "sigmoid"), copy.deepcopy(nb.cells[by_id(nb, "sigmoid")])))

    def reorder(nb):
        i, j = by_id(nb, "mlp_forward"), by_id(nb, "dense_forward")
        nb.cells[i], nb.cells[j] = nb.cells[j], nb.cells[i]
    out["reordered"] = edited(reorder)

    def tests_emptied(nb):
        nb.cells[by_id(nb, "dense_forward")].source = WRONG
        for grade_id in DENSE:
            nb.cells[by_id(nb, grade_id)].source = "pass"
    out["edited_tests"] = edited(tests_emptied)
    out["renamed_answer_id"] = edited(lambda nb: nb.cells[by_id(nb, "dense_forward")].metadata.nbgrader.update(grade_id="mine"))
    out["renamed_test_id"] = edited(lambda nb: nb.cells[by_id(nb, "test_sigmoid")].metadata.nbgrader.update(grade_id="test_x"))
    out["metadata_removed"] = edited(lambda nb: nb.cells[by_id(nb, "sigmoid")].metadata.pop("nbgrader"))
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("course"), LESSON)
    texts = {"perfect": nbformat.writes(fill(RELEASE, ANSWERS)), **malformed()}
    for name, answer in {**TRICKS, **REFERENCE_CALLS, **FAULTS}.items():
        texts[name] = nbformat.writes(fill(RELEASE, {**ANSWERS, "dense_forward": answer}))
    for student, text in texts.items():
        submit(root, LESSON, student, text)
    (root / "submitted" / "missing" / LESSON.name).mkdir(parents=True)
    renamed = root / "submitted" / "renamed_file" / LESSON.name
    renamed.mkdir(parents=True)
    (renamed / "my lesson 1.ipynb").write_text(texts["perfect"])
    start = time.perf_counter()
    results = {r.student: r for r in grade(LESSON, jobs=2, root=root, progress=False)}
    seconds = time.perf_counter() - start
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {}
        for student in results:
            try:
                nb = gradebook.find_submission_notebook(LESSON.name, LESSON.name, student)
                scores[student] = {g.name: g.score for g in nb.grades}
            except Exception:
                scores[student] = None
    return root, results, scores, seconds


def outputs(root, student, grade_id):
    nb = nbformat.read(root / "autograded" / student / LESSON.name / LESSON.notebook_name, as_version=4)
    cell = nb.cells[by_id(nb, grade_id)]
    return "\n".join(o.get("evalue", "") + o.get("text", "") for o in cell.outputs)


FULL = {"test_dense_forward": 1, "test_dense_forward_more": 2, "test_sigmoid": 1,
        "test_sigmoid_more": 2, "test_mlp_forward": 2, "test_mlp_forward_more": 2}
ZERO = dict.fromkeys(FULL, 0)


def test_perfect_submission_gets_full_marks(graded):
    _, results, scores, _ = graded
    assert results["perfect"].graded and scores["perfect"] == FULL


@pytest.mark.parametrize("student", sorted(TRICKS) + sorted(REFERENCE_CALLS) + sorted(FAULTS))
def test_trick_or_fault_costs_only_its_own_function(graded, student):
    root, results, scores, _ = graded
    assert results[student].graded, results[student].problems
    assert {k: v for k, v in scores[student].items() if k in DENSE} == {k: 0 for k in DENSE}
    assert {k: v for k, v in scores[student].items() if k not in DENSE} == \
        {k: v for k, v in FULL.items() if k not in DENSE}


@pytest.mark.parametrize("student, reason", [
    ("ref_import", "write dense_forward yourself"),
    ("ref_importlib", "write dense_forward yourself"),
    ("ref_by_path", "No such file or directory"),  # not in the sandbox at all
    ("ref_exec", "No such file or directory"),
    ("lying_eq", "got a __main__.Anything"),
    ("ndarray_subclass", "an ndarray subclass; return a plain numpy.ndarray"),
    ("infinite_loop", "did not finish within"),
    ("os_exit", "the process running it ended (exit code 3)"),
    ("segfault", "the process running it ended (signal 11)"),
    ("memory", "MemoryError"),
    ("recursion", "RecursionError"),
    ("output_flood", "This looks like a known mistake: the bias b was never added"),
])
def test_the_student_is_told_why(graded, student, reason):
    root, *_ = graded
    assert reason in outputs(root, student, "test_dense_forward")


def test_a_runaway_answer_costs_seconds_not_a_timeout_per_test(graded):
    _, results, _, _ = graded
    # one kernel cell timeout (10 s) and one sandbox budget (10 s) at most, plus start-up
    assert results["infinite_loop"].seconds < 60


@pytest.mark.parametrize("student, problem, scored", [
    ("invalid_json", "cannot be read as a notebook", ZERO),
    ("empty", "cannot be read as a notebook", ZERO),
    ("missing", "no notebook 01_forward_propagation.ipynb in submitted/missing/", None),
    ("renamed_file", "notebook saved as my lesson 1.ipynb", FULL),
    ("deleted_test", "Missing grade cell test_dense_forward", FULL),
    ("duplicated", "grade_id 'sigmoid' is used twice", FULL),
    ("reordered", None, FULL),
    ("edited_tests", None, {**FULL, "test_dense_forward": 0, "test_dense_forward_more": 0}),
    ("renamed_answer_id", "grade_id 'mine' is not in the assignment", FULL),
    ("renamed_test_id", "grade_id 'test_x' is not in the assignment", FULL),
    ("metadata_removed", "the answer cell for sigmoid had lost its metadata", FULL),
])
def test_malformed_submission_is_reported_and_graded_as_far_as_possible(graded, student, problem, scored):
    _, results, scores, _ = graded
    if problem:
        assert any(problem in p for p in results[student].problems), results[student].problems
    assert scores[student] == scored
    # an unreadable notebook is recorded as 0 (so the export lists the student), not graded
    assert results[student].graded == (scored not in (None, ZERO))


def test_every_graded_student_has_every_grade(graded):
    _, results, scores, _ = graded
    for student, result in results.items():
        if result.graded:
            assert set(scores[student]) == set(FULL), student


def test_feedback_hides_hidden_tests(graded):
    root, *_ = graded
    nbgrader(root, "generate_feedback", LESSON.name, "--student=perfect", "--force")
    nbgrader(root, "generate_feedback", LESSON.name, "--student=ref_import", "--force")
    hidden = cells.hidden_lines(SOURCE)
    for student in ("perfect", "ref_import"):
        html = (root / "feedback" / student / LESSON.name / f"{LESSON.name}.html").read_text()
        text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
        shown = {line.strip() for line in text.splitlines()}
        leaked = sorted(hidden & shown)
        assert not leaked, leaked
        assert "check_example" in text  # the visible tests are there


def test_grading_twice_gives_the_same_scores(graded, tmp_path):
    root, results, scores, _ = graded
    # two workers, as the first time (tests/test_grade_equivalence.py compares one with two)
    again = {r.student: r.graded for r in grade(LESSON, jobs=2, root=root, progress=False)}
    assert again == {s: r.graded for s, r in results.items()}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student, before in scores.items():
            if before is not None:
                nb = gradebook.find_submission_notebook(LESSON.name, LESSON.name, student)
                assert {g.name: g.score for g in nb.grades} == before, student
