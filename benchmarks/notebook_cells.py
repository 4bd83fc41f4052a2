"""Execution time of every source notebook, and of its slowest and its widget cells.

    .venv/bin/python benchmarks/notebook_cells.py [lesson ...]

Runs each notebook in a fresh kernel with nbclient (as nbgrader does) and prints, per
notebook, the wall-clock time, then the three slowest cells and every cell that builds
a widget. Not a test: a figure to read (the course's budget is 10 s per lesson, 30 s for
the capstone, and widget cells well under a second without a browser).
"""
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def cell_seconds(cell):
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def main(names):
    folders = sorted((ROOT / "source").iterdir())
    for folder in folders:
        if names and folder.name not in names:
            continue
        path = folder / f"{folder.name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=True,
                       resources={"metadata": {"path": str(folder)}}).execute()
        total = time.perf_counter() - start
        cells = [(cell_seconds(c), c.metadata.get("nbgrader", {}).get("grade_id", "?"), c)
                 for c in nb.cells if c.cell_type == "code"]
        slowest = sorted(cells, key=lambda item: -item[0])[:3]
        widgets = [(s, g) for s, g, c in cells if any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.outputs)]
        print(f"{folder.name:<28} {total:6.2f} s in all (kernel start included)")
        print("    slowest: " + ", ".join(f"{g} {s:.2f} s" for s, g, _ in slowest))
        print("    widgets: " + (", ".join(f"{g} {s:.2f} s" for s, g in widgets) or "none"))


if __name__ == "__main__":
    main(sys.argv[1:])
