"""Driving JupyterLab 4.6 and nbgrader 0.9.6's extension with Playwright: the DOM facts
the end-to-end tests rely on, in one place.

- A notebook's code cells are ``.jp-Notebook .jp-Cell`` in notebook order (the server's
  user settings turn windowing off, so every cell is in the DOM); a code cell's prompt is
  ``[ ]:`` before it runs, ``[*]:`` while queued or running, ``[n]:`` after.
- Error and stderr outputs render as ``.jp-OutputArea-output`` with
  ``data-mime-type="application/vnd.jupyter.stderr"``.
- ipywidgets 8 views: ``.widget-slider`` (a noUiSlider whose ``.noUi-handle`` takes arrow
  keys; ``.noUi-target[disabled]`` when disabled), ``.widget-dropdown select``,
  ``button.widget-button``, ``img.widget-image`` (its ``src`` is a new blob URL each time
  the kernel sends a new picture).
- nbgrader's Validate button is the notebook toolbar item ``.validate-button``. It saves
  the notebook, asks the server to validate it and opens a dialog titled "Validation
  Results" (class ``nbgrader-SuccessDialog`` or ``nbgrader-ErrorDialog``) whose body is
  ``#validation-message`` with class ``validation-success``, ``validation-failed``
  (one "The following cell failed:" paragraph per failing cell), ``validation-changed``
  or ``validation-type-changed``.
"""
import time
from pathlib import Path

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the fixtures skip (or, under CI, fail) and say why
    PlaywrightTimeout = TimeoutError

ROOT = Path(__file__).resolve().parents[2]

STDERR = "application/vnd.jupyter.stderr"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A widget output (JupyterLab gives it no data-mime-type; a widget that the page cannot
# render falls back to text/plain and does not match).
WIDGET_OUTPUT = ".jp-OutputArea-output:has(> .jupyter-widgets)"
CONTROLS = ".widget-slider, .widget-dropdown, .widget-button"

def lessons():
    """Every lesson in release/: (lesson folder name, notebook file name)."""
    return [(folder.name, notebook.name)
            for folder in sorted((ROOT / "release").iterdir()) if folder.is_dir()
            for notebook in sorted(folder.glob("*.ipynb"))]


# True when the kernel named in the status bar is connected and idle.
KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-Widget .jp-StatusBar-TextItem')]
    .some(item => / \\| Idle$/.test(item.textContent.trim()))"""

# True when a Run All has finished: the kernel is idle, no cell is queued, and every code
# cell has run, or a cell failed (Run All stops there and leaves the rest unrun).
RUN_FINISHED = """() => {
    const idle = (%s)();
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    if (!idle || prompts.some(p => p.includes('*'))) return false;
    if (prompts.every(p => /^\\[\\d+\\]:$/.test(p))) return true;
    return document.querySelector('.jp-Notebook [data-mime-type="%s"]') !== null;
}""" % (KERNEL_IDLE, STDERR)


def open_notebook(page, server, path, timeout=90_000):
    """Open ``path`` (relative to the server's root) in a fresh JupyterLab workspace and
    wait for its kernel to be idle."""
    page.goto(server.url(f"lab/tree/{path}", reset=""))
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout)


def menu(page, top, item):
    """Click ``top`` in the menu bar, then ``item`` in the menu it opens."""
    page.locator(".lm-MenuBar-itemLabel").get_by_text(top, exact=True).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def run_all(page, timeout=600_000):
    """Run > Run All Cells, and wait until the run is over."""
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=timeout, polling=250)


def save(page, timeout=60_000):
    """Save the notebook from its toolbar and wait until the document is clean."""
    page.locator(".jp-NotebookPanel-toolbar [data-command='docmanager:save']").click()
    page.wait_for_function(
        "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')"
        " && !document.querySelector('.jp-NotebookPanel.jp-mod-dirty')", timeout=timeout)


def cells(page):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")


def stderr_outputs(cell):
    """The text of each error or stderr output a cell shows."""
    return [text.strip() for text in cell.locator(f'[data-mime-type="{STDERR}"]').all_inner_texts()]


def widget_report(output):
    """What a rendered widget output shows: its controls by kind, its pictures (and
    whether each decoded), and any rendering error text."""
    return output.evaluate("""node => ({
        sliders: node.querySelectorAll('.widget-slider').length,
        dropdowns: node.querySelectorAll('.widget-dropdown').length,
        buttons: node.querySelectorAll('.widget-button').length,
        images: [...node.querySelectorAll('img.widget-image')].map(img => ({
            src: img.getAttribute('src') || '', width: img.naturalWidth})),
        views: node.querySelectorAll('.jupyter-widgets').length,
        text: node.innerText.slice(0, 300),
    })""")


def image_sources(output):
    return output.evaluate(
        "node => [...node.querySelectorAll('img.widget-image')].map(img => img.getAttribute('src'))")


def control_label(control):
    label = control.locator(".widget-label")
    text = label.first.inner_text().strip() if label.count() else ""
    return text or control.inner_text().strip()


def control_kind(control):
    classes = control.get_attribute("class") or ""
    for kind in ("slider", "dropdown", "button"):
        if f"widget-{kind}" in classes:
            return kind
    return "control"


def is_disabled(control):
    return control.evaluate("""node => node.matches('[disabled]')
        || node.querySelector('.noUi-target[disabled], select:disabled, button:disabled') !== null""")


def change_control(page, control):
    """Change a control as a user does: a slider by one arrow-key step (left when it is
    at its maximum), a drop-down to its next option, a button by a click. Returns what
    was done."""
    kind = control_kind(control)
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        readout = control.locator(".widget-readout").first
        before = readout.inner_text()
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        keys = ["ArrowLeft", "ArrowRight"] if now >= top else ["ArrowRight", "ArrowLeft"]
        for key in keys:
            handle.focus()
            page.keyboard.press(key)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and readout.inner_text() == before:
                time.sleep(0.05)
            if readout.inner_text() != before:
                return f"{key} ({before} -> {readout.inner_text()})"
        raise AssertionError(f"slider {control_label(control)!r} did not move with the arrow keys")
    if kind == "dropdown":
        select = control.locator("select").first
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("s => s.selectedIndex")
        choice = (current + 1) % len(options)
        select.select_option(index=choice)
        return f"{options[current].strip()} -> {options[choice].strip()}"
    control.locator("button").first.click() if control.locator("button").count() else control.click()
    return "click"


def wait_for_new_picture(page, output, before, timeout=90_000):
    """Wait until some widget picture in ``output`` has a src other than in ``before``."""
    output.evaluate_handle("n => n")  # fail early if the output is gone
    page.wait_for_function(
        """([node, before]) => {
            const now = [...node.querySelectorAll('img.widget-image')].map(img => img.getAttribute('src'));
            return now.length === before.length && now.some((src, i) => src !== before[i]);
        }""", arg=[output.element_handle(), before], timeout=timeout, polling=100)


def validate(page, timeout=300_000):
    """Click nbgrader's Validate button; return (outcome, dialog text) with outcome one of
    success, failed, changed, type-changed, error, and close the dialog."""
    page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog").filter(has=page.locator(".jp-Dialog-header"))
    dialog.first.wait_for(timeout=timeout)
    dialog = dialog.first
    header = dialog.locator(".jp-Dialog-header").inner_text().strip()
    message = dialog.locator("#validation-message")
    if header != "Validation Results" or not message.count():
        text = dialog.inner_text()
        outcome = "error"
    else:
        classes = message.get_attribute("class") or ""
        outcome = next((o for o in ("success", "failed", "type-changed", "changed")
                        if f"validation-{o}" in classes.split()), "error")
        text = message.inner_text()
    kind = "success-dialog" if "nbgrader-SuccessDialog" in (dialog.get_attribute("class") or "") else "error-dialog"
    return outcome, kind, text, dialog


def close_dialog(page, dialog):
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=10_000)


# --- accessibility: axe-core, and each figure's size and text alternative ------------------

#: npm's axe-core (package.json; `npm ci` installs it), injected into the page by Playwright.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: What axe checks: the notebook's outputs (figures, text, widgets), not JupyterLab itself.
AXE_CONTEXT = {"include": [".jp-Notebook .jp-OutputArea"]}
#: Impacts that fail the suite.
BLOCKING = ("serious", "critical")


def run_axe(page):
    """axe-core's results on the notebook's output areas (WCAG 2.1 A and AA and axe's best
    practices), as a dict: violations, passes, incomplete, ..."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""context => axe.run(context, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""", AXE_CONTEXT)


def blocking_violations(results):
    """'rule (impact): help, on N nodes: first target' for each serious or critical violation."""
    return [f"{v['id']} ({v['impact']}): {v['help']}, on {len(v['nodes'])} node(s), e.g. "
            f"{v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]!r}"
            for v in results["violations"] if v.get("impact") in BLOCKING]


def figures(page):
    """Every picture in the notebook's outputs, static or in a widget: its cell index,
    kind, rendered and natural width and height, and text alternative (alt, aria-label or
    title, as a screen reader would name it)."""
    return page.evaluate("""() => {
        const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')];
        return cells.flatMap((cell, index) => [...cell.querySelectorAll('.jp-OutputArea img')].map(img => {
            const box = img.getBoundingClientRect();
            return {cell: index, widget: img.classList.contains('widget-image'),
                    width: box.width, height: box.height,
                    natural: img.naturalWidth, naturalHeight: img.naturalHeight,
                    alt: (img.getAttribute('alt') || img.getAttribute('aria-label')
                          || img.getAttribute('title') || '').trim()};
        }));
    }""")


def figure_problems(found):
    """Each figure scaled up beyond its natural width, or without a text alternative."""
    problems = []
    for f in found:
        where = f"cell {f['cell']} {'widget picture' if f['widget'] else 'figure'}"
        if not f["natural"]:
            problems.append(f"{where}: not decoded")
        elif f["width"] > f["natural"] + 0.5:
            problems.append(f"{where}: shown {f['width']:.0f} px wide, natural width {f['natural']} px (scaled up)")
        if not f["alt"]:
            problems.append(f"{where}: no text alternative")
    return problems


def screenshot_figures(page, artifacts, lesson):
    """A screenshot of every figure in the outputs, <lesson>-figure-<n>.png, and of every
    widget as it first shows, before any control is touched, <lesson>-widget-<n>-first.png
    (the widget tests add one after). Returns how many."""
    shots = [(page.locator(".jp-NotebookPanel .jp-OutputArea img:not(.widget-image)"), "figure-{}"),
             (page.locator(f".jp-NotebookPanel {WIDGET_OUTPUT}"), "widget-{}-first")]
    for found, name in shots:
        for n in range(found.count()):
            found.nth(n).scroll_into_view_if_needed()
            found.nth(n).screenshot(path=str(artifacts / f"{lesson}-{name.format(n + 1)}.png"))
    return sum(found.count() for found, _ in shots)
