"""nbgrader's configuration for this course (the instructor runs nbgrader from here)."""
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "nn-from-scratch"
# What a student sees where an answer was removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# A lesson's slowest cell (the network demo, a widget's first drawing) takes well under
# a second; 60 s per cell only bounds a student's runaway code.
c.ExecutePreprocessor.timeout = 60
