"""What a student's feedback page must never carry, and how ``course feedback`` finds it.

A page shows the student's notebook as graded: their own cells, the instructor's visible
cells and every cell's outputs. The outputs are what student code printed, so they may
carry what it could reach while graded: the course's solutions (the instructor's
solution cells in ``source/``, ``helpers/reference/``) or the hidden tests. A page leaks
when

- a line the reader sees is a hidden-test line (what ``ClearHiddenTests`` must remove), or
- an output holds a *distinctive* solution or hidden-test line: one of at least
  :data:`MIN_LENGTH` characters that is code (not a comment, a docstring or a bare
  ``return activations[-1], activations``), of this lesson or a later one (earlier
  lessons' references ship to the students), and that the student does not already
  have: not in the release notebook, in the helpers their bundle holds, or in their own
  cells (their code is theirs, even when a line of it equals the course's).

Outputs are read as shown (terminal colours left out) and with their escapes decoded (a
file printed with ``repr`` or ``json.dumps``, or HTML-escaped), whitespace runs as one
space, and every long base64 or hex token (:data:`ENCODED_MIN` characters or more; zlib
or gzip inside it too) is decoded and read the same way, so an encoded copy is found as
a plain one is. This stops copies, not a determined cipher: what keeps the solutions
from a student's code in the first place is the grading sandbox.
"""
import ast
import base64
import binascii
import html
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import ROOT, cells
from . import bundle
from . import lesson_files

MIN_LENGTH = 25  # shorter lines ("return x @ W + b") are what any student might write
ENCODED_MIN = 200  # characters of a base64 or hex token worth decoding
DECODED_LIMIT = 20 * 2 ** 20  # bytes one decompressed token may grow to
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
DOCSTRING_QUOTES = ('"""', "'''", 'r"""', "r'''")
# A line that says nothing: a few names with attribute access, indexing and commas.
TRIVIAL = re.compile(r"[\w\s.,()\[\]:-]*")
TRIVIAL_NAMES = 3
_NAME = re.compile(r"[A-Za-z_]\w*")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ENCODED = re.compile(r"(?:[A-Za-z0-9+/_-]{16,}={0,2}(?:\s|\\n)*)+")

SOLUTION_LINE = "the course's solution"
HIDDEN_LINE = "a hidden test"


@dataclass(frozen=True)
class Secrets:
    """What one lesson's pages must not show."""
    hidden: frozenset  # every hidden-test line, stripped, as a page shows it
    distinctive: dict  # normalised distinctive line -> SOLUTION_LINE or HIDDEN_LINE


def normalise(text: str) -> str:
    """Whitespace runs as one space: indentation and line breaks do not hide a line."""
    return " ".join(text.split())


def secrets_of(lesson, root, source) -> Secrets:
    """The hidden-test and solution lines ``lesson``'s feedback pages must not show, minus
    what every student of the lesson already has (release notebook, bundled helpers).
    ``source``: the lesson's notebook from ``root/source/``, the one graded."""
    order = [each.name for each in lesson_files.all_lessons()]
    index = order.index(lesson.name)
    hidden = cells.hidden_lines(source)
    distinctive = {normalise(line): HIDDEN_LINE for line in hidden if _distinctive(line)}
    for name in order[index:]:
        nb = source if name == lesson.name else _source_of(root, name)
        for cell in nb.cells if nb else ():
            for line in _code_lines(cell.source, within=SOLUTION):
                distinctive.setdefault(normalise(line), SOLUTION_LINE)
    topics = bundle.topic_lessons()
    for module in sorted((ROOT / "helpers" / "reference").glob("[!_]*.py")):
        if topics.get(module.stem, index) >= index:
            for line in _code_lines(module.read_text()):
                distinctive.setdefault(normalise(line), SOLUTION_LINE)
    shipped = [(ROOT / "helpers" / path).read_text(errors="replace")
               for path in bundle.shipped_files(lesson) if path.suffix == ".py"]
    public = normalise("\n".join([_release_text(source), *shipped]))
    return Secrets(frozenset(hidden),
                   {line: kind for line, kind in distinctive.items() if line not in public})


def leak(page_lines, graded_nb, secrets) -> str | None:
    """Why a page must be withheld, in a few words, or None when it may be handed out.
    ``page_lines``: the stripped lines its reader sees; ``graded_nb``: the autograded
    notebook it was made from."""
    own = normalise(own_text(graded_nb))
    shown = sorted(line for line in secrets.hidden & page_lines if normalise(line) not in own)
    if shown:
        return f"the page shows a hidden test line {_short(shown[0])}"
    lines = {line: kind for line, kind in secrets.distinctive.items() if line not in own}
    for text, how in readings(outputs_text(graded_nb)):
        found = next((line for line in lines if line in text), None)
        if found is not None:
            return f"an output{how} shows a line of {lines[found]} {_short(found)}"
    return None


def own_text(nb) -> str:
    """The student's own cells: every cell but the instructor's test cells."""
    return "\n".join(cell.source for cell in nb.cells if not cells.is_test(cell))


def outputs_text(nb) -> str:
    """Everything the cells' outputs show: streams, text and image data, errors."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            parts.append(_text(output.get("text", "")))
            parts += [_text(value) for value in (output.get("data") or {}).values()]
            parts += [_text(output.get("ename", "")), _text(output.get("evalue", ""))]
            parts += [_text(line) for line in output.get("traceback", ())]
    return "\n".join(parts)


def readings(text: str, depth: int = 2) -> list:
    """[(normalised text, how it was decoded)]: the text as shown, with its escapes
    decoded, and every long base64 or hex token in it decoded (``depth`` levels deep)."""
    text = _ANSI.sub("", text)  # colours in a traceback: the page shows the bare text
    seen = {text, html.unescape(text)}
    seen |= {_unescape(_unescape(each)) for each in seen}
    found = [(normalise(each), "") for each in seen]
    if depth:
        tokens = {token for each in seen for token in _encoded_tokens(each)}
        for decoded in {d for token in tokens for d in _decodings(token)}:
            found += [(each, " (decoded)") for each, _ in readings(decoded, depth - 1)]
    return found


# --- helpers ---------------------------------------------------------------------------

def _text(value):
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)


def _source_of(root, name):
    """A later lesson's source notebook: the course directory's, else the repository's."""
    for folder in (Path(root), ROOT):
        try:
            return nbformat.read(folder / "source" / name / f"{name}.ipynb", as_version=4)
        except (OSError, ValueError):
            continue
    return None


def _between(lines, markers):
    """Indices of the lines strictly between the markers (begin, end)."""
    inside = False
    for index, line in enumerate(lines):
        text = line.strip()
        if text.startswith(markers[0]):
            inside = True
        elif text.startswith(markers[1]):
            inside = False
        elif inside:
            yield index


def _release_text(nb):
    """The notebook as its release shows it: solutions and hidden tests left out."""
    kept = []
    for cell in nb.cells:
        lines = cell.source.splitlines()
        removed = set(_between(lines, SOLUTION)) | set(_between(lines, cells.HIDDEN_TESTS))
        kept += [line for index, line in enumerate(lines) if index not in removed]
    return "\n".join(kept)


def _code_lines(source, within=None):
    """The distinctive code lines of Python ``source`` (only those between the markers
    ``within``, when given), each also without its trailing comment."""
    lines = source.splitlines()
    chosen = set(_between(lines, within)) if within else set(range(len(lines)))
    found = []
    for index in sorted(chosen - _docstring_lines(source)):
        line = lines[index].strip()
        found += [each for each in {line, _without_comment(line)} if _distinctive(each)]
    return found


def _docstring_lines(source):
    """0-based indices of the lines inside string statements (docstrings)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    return {line - 1 for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for line in range(node.lineno, node.end_lineno + 1)}


def _without_comment(line):
    """``line`` up to a ``#`` outside quotes."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index].rstrip()
    return line


def _distinctive(line):
    """Long, code, and more than a few names: not what any student might write or print."""
    line = line.strip()
    trivial = TRIVIAL.fullmatch(line) and len(set(_NAME.findall(line))) <= TRIVIAL_NAMES
    return len(line) >= MIN_LENGTH and not line.startswith(("#", *DOCSTRING_QUOTES)) and not trivial


def _unescape(text):
    """Python and JSON string escapes decoded (a file printed as repr() or json.dumps)."""
    simple = {"n": "\n", "t": "\t", "r": "\r"}
    return re.sub(r"\\([ntr\"'\\/])", lambda m: simple.get(m.group(1), m.group(1)), text)


def _encoded_tokens(text):
    """Long runs of base64 (or hex) characters, line breaks inside them removed; a run of
    several padded blobs also yields each blob."""
    for match in _ENCODED.finditer(text):
        token = re.sub(r"\s|\\n", "", match.group(0))
        pieces = [token] + (re.findall(r"[^=]+=*", token) if "=" in token.rstrip("=") else [])
        yield from (piece for piece in pieces if len(piece) >= ENCODED_MIN)


def _decodings(token):
    """The token decoded as hex and as base64 (either alphabet, from each of the first four
    characters: a blob printed right after a few letters), decompressed when it is zlib or
    gzip, each as text."""
    raw = []
    if re.fullmatch(r"[0-9a-fA-F]+", token) and len(token) % 2 == 0:
        raw.append(bytes.fromhex(token))
    core = token.rstrip("=")
    altchars = b"-_" if ("-" in core or "_" in core) else None
    for start in range(4):
        part = core[start:]
        try:
            raw.append(base64.b64decode(part + "=" * (-len(part) % 4), altchars=altchars))
        except (binascii.Error, ValueError):
            pass
    for data in list(raw):
        try:
            raw.append(zlib.decompressobj(47).decompress(data, DECODED_LIMIT))  # zlib or gzip
        except zlib.error:
            pass
    return [data.decode("utf-8", errors="replace") for data in raw if data]


def _short(line):
    return f"({line!r})" if len(line) <= 80 else f"({line[:77]!r}...)"
