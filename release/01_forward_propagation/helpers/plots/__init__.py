"""Plots: plain functions that return a ``matplotlib.figure.Figure``, one module per lesson."""
from collections.abc import Callable, Mapping
from typing import Any

#: The student's functions a plot draws with: the graded function's name -> the function.
Functions = Mapping[str, Callable[..., Any]]
