"""Widgets: thin ipywidgets layers over the plots, one module per lesson."""
import ipywidgets as widgets

from ..display import drawing_skipped, to_png


def explorer(controls, draw, pictures=1, beside=False):
    """Controls over pictures: ``controls`` maps a name to an ipywidget, and
    ``draw(**values)`` (each control's value by its name) returns the Figure to show, or a
    tuple of ``pictures`` Figures. Drawn at once and again whenever a control changes, but
    not while nbgrader grades (nobody sees it). The controls sit in a row above the
    pictures, or in a column beside them."""
    images = [widgets.Image(format="png") for _ in range(pictures)]

    def redraw(_change=None):
        if drawing_skipped():
            return
        figures = draw(**{name: control.value for name, control in controls.items()})
        for image, figure in zip(images, figures if pictures > 1 else (figures,)):
            image.value = to_png(figure)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    if beside:
        box = widgets.HBox([widgets.VBox(list(controls.values())), *images])
    else:
        box = widgets.VBox([widgets.HBox(list(controls.values())), *images])
    box.controls = controls  # for tests and for curious students
    return box
