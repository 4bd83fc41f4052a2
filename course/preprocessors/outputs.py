"""The cell outputs the grading preprocessors write (nbgrader scores a test cell by them:
an ``error`` output fails it)."""
from nbformat.notebooknode import NotebookNode


def stream_output(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


def error_output(name: str, message: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=name, evalue=message,
                        traceback=[f"{name}: {message}"])
