"""Checks for graded functions whose results are random, one module per topic.

:func:`helpers.check.check_reference` compares values with the reference's, which does not
fit a random initializer or a training run: these check what every correct answer shares
instead, in the harness's style (see each module).
"""
