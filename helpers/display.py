"""Figures without pyplot: every plot is a plain ``matplotlib.figure.Figure``, turned
into PNG bytes here. This keeps global state out of the lessons and keeps pyplot's
start-up cost out of grading."""
import io

from matplotlib.figure import Figure


def new_figure(width=6.4, height=4.0, **kwargs):
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def to_png(fig, dpi=90):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show(fig):
    """Display a figure in the notebook as a PNG image."""
    from IPython.display import Image, display
    display(Image(data=to_png(fig), format="png"))
