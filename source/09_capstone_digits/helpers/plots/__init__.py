"""Plots: plain functions that return a ``matplotlib.figure.Figure``, one module per lesson."""
