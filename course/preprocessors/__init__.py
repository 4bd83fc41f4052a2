"""The nbgrader preprocessors this course adds, one per module as in nbgrader's own
``nbgrader.preprocessors`` (``nbgrader_config.py`` names them):

- :mod:`.repair_submission`: before nbgrader's sanitizing, makes a hand-edited submission
  gradable (stray or duplicated grade_ids, an answer cell that lost its metadata);
- :mod:`.grading_execute`: runs the notebook in the student's sandboxed kernel, test cells
  excepted, and stops at the first cell that times out or kills the kernel;
- :mod:`.verify_tests`: re-runs each test cell in the grader against the student's answers
  in sandbox processes (see :mod:`course.isolation`).

Importing this package loads every piece of code that decides a score, before nbgrader
starts the first student kernel (:func:`load_score_deciding_code`).
"""


def load_score_deciding_code() -> None:
    """Load, once, all the code that decides scores, before any student code runs: nbgrader
    imports this module while it sets up autograding (and ``course grade``'s workers while
    they read the configuration), before the first kernel starts. Loaded later, the mistake
    catalogue would be executed from ``tests/mistakes/`` when a check fails, so a file a
    student's cell managed to write there would run in the grader."""
    import helpers.check  # noqa: F401 (the check harness the test cells import)
    import helpers.checkers.capstone  # noqa: F401
    import helpers.checkers.initialization  # noqa: F401
    import helpers.reference  # noqa: F401
    from course.bundle import reference_lessons
    from helpers import catalogue
    catalogue.load()  # every catalogue file, served from memory from now on
    reference_lessons()  # which lesson each reference belongs to (allowed_references)


load_score_deciding_code()


load_score_deciding_code()
