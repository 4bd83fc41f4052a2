"""nbgrader's configuration for this course (the instructor runs nbgrader from here)."""
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "nn-from-scratch"
# What a student sees where an answer was removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# A lesson's slowest cell (the network demo, a widget's first drawing) takes well under
# a second; 60 s per cell only bounds a student's runaway code.
c.ExecutePreprocessor.timeout = 60

# Grading does not trust the student's kernel (see course/isolation/__init__.py): the
# kernel runs the lesson's cells but not its tests, and each test cell is re-run in the
# grader against the student's answers in sandbox processes.
c.Autograde.autograde_preprocessors = [
    "course.preprocessors.grading_execute.GradingExecute",
    "course.preprocessors.verify_tests.VerifyTests",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Hand-edited submissions (renamed grade_ids, duplicated cells) are repaired before
# nbgrader's own sanitizing, which would otherwise stop on them.
c.Autograde.sanitize_preprocessors = [
    "course.preprocessors.repair_submission.RepairSubmission",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback shows the visible part of each test cell only: hidden tests stay hidden.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# A test cell the student deleted is put back (as nbgrader can), so it is graded as
# written by the instructor rather than silently scoring zero.
c.OverwriteCells.add_missing_cells = True
