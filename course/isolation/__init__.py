"""Grading that does not trust the student's kernel.

nbgrader runs a student's notebook in one kernel, tests included, so anything the student
executes (patching NumPy or the check harness, a lying ``__eq__``, a custom exception
handler that hides failures) can change the verdict. Here, during ``nbgrader autograde``,
the kernel only runs the lesson's prose and demo cells; every test cell is then re-run in
the grader's own process (:mod:`course.preprocessors.verify_tests`), where each graded function is a proxy
for the student's answer cell running in a separate, resource-limited sandbox process
(``sandbox``). Only plain data crosses back (``wire``), so nothing the student's code does
can reach the comparison.
"""
