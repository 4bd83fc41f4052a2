"""Reference implementations of the graded functions, one module per lesson.

The autograder's hidden tests compare a student's function with the one of the same
name here. Each is tested against an independent computation in ``tests/``.
"""
from .forward import dense_forward, mlp_forward, sigmoid

__all__ = ["dense_forward", "sigmoid", "mlp_forward"]
