"""Widgets: thin ipywidgets layers over the plots, one module per lesson."""
