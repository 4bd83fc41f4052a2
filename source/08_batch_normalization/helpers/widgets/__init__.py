"""Widgets: thin ipywidgets layers over the plots, one module per lesson."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from traitlets import Unicode

from ..a11y import alt_text
from ..display import drawing_skipped, pixel_size, to_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class Picture(widgets.Image):  # type: ignore[misc]  # ipywidgets has no type hints
    """A widget picture whose tooltip (its ``title``: the accessible name of the image)
    works: ipywidgets 8's image view reads a ``description`` before it sets the title, and
    an Image has none, so without this trait a tooltip breaks the view."""
    description = Unicode("").tag(sync=True)


#: ipywidgets 8 gives a slider's handle (``role="slider"``) no accessible name: its
#: description is a label for nothing. This names each handle after its slider's label,
#: for the sliders on the page now and later (run once per page).
NAME_SLIDERS = """
(() => {
  const name = () => document.querySelectorAll('.widget-slider').forEach(slider => {
    const label = (slider.querySelector('.widget-label') || {}).textContent;
    slider.querySelectorAll('.noUi-handle').forEach(handle => {
      if (label && label.trim() && handle.getAttribute('aria-label') !== label.trim()) {
        handle.setAttribute('aria-label', label.trim());
      }
    });
  });
  if (!window.courseNamesSliders) {
    window.courseNamesSliders = new MutationObserver(name);
    window.courseNamesSliders.observe(document.body, {childList: true, subtree: true});
  }
  name();
})();
"""


def label_in_full(controls: Mapping[str, widgets.Widget]) -> None:
    """Give every control's label the width it needs: ipywidgets cuts a long one
    ("learning r...") at a fixed width."""
    for control in controls.values():  # the default width holds about 10 characters
        if hasattr(control.style, "description_width") and len(getattr(control, "description", "")) > 10:
            control.style.description_width = "initial"


def name_sliders() -> None:
    """Give the sliders of the page accessible names (see :data:`NAME_SLIDERS`): a script
    output, in a notebook only."""
    from IPython import get_ipython
    from IPython.display import Javascript, display
    if get_ipython() is not None and not drawing_skipped():
        display(Javascript(NAME_SLIDERS))


def picture() -> widgets.Image:
    """An empty widget picture, for :func:`draw_into`: never wider than the page."""
    return Picture(format="png", layout=widgets.Layout(max_width="100%", height="auto",
                                                       align_self="flex-start"))


def draw_into(image: widgets.Image, fig: Figure) -> None:
    """Show ``fig`` in ``image`` at its natural width (never stretched), with its text
    alternative as the picture's accessible name (its title, which also shows on hover)."""
    width, _ = pixel_size(fig)
    image.value = to_png(fig)
    image.width = str(width)
    image.layout.width = f"{width}px"
    image.tooltip = alt_text(fig)


def explorer(controls: Mapping[str, widgets.ValueWidget], draw: Callable[..., Figure | tuple[Figure, ...]],
             pictures: int = 1, beside: bool = False) -> widgets.Box:
    """Controls over pictures: ``controls`` maps a name to an ipywidget, and
    ``draw(**values)`` (each control's value by its name) returns the Figure to show, or a
    tuple of ``pictures`` Figures. Drawn at once and again whenever a control changes, but
    not while nbgrader grades (nobody sees it). The controls sit in a row above the
    pictures, or in a column beside them."""
    images = [picture() for _ in range(pictures)]

    def redraw(_change: Any = None) -> None:
        if drawing_skipped():
            return
        # a Figure, or a tuple of ``pictures`` of them
        figures: Any = draw(**{name: control.value for name, control in controls.items()})
        for image, figure in zip(images, figures if pictures > 1 else (figures,)):
            draw_into(image, figure)

    for control in controls.values():
        control.observe(redraw, names="value")
    label_in_full(controls)
    redraw()
    name_sliders()
    if beside:
        box = widgets.HBox([widgets.VBox(list(controls.values())), *images])
    else:
        box = widgets.VBox([widgets.HBox(list(controls.values())), *images])
    box.controls = controls  # for tests and for curious students
    return box
