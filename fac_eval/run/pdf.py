"""Print a rendered HTML report to PDF with headless Chromium (the HTML is the single source).

``fac-eval run SESSION --pdf`` writes ``rapport_<s>.pdf`` (``report_<s>_en.pdf`` in English)
beside the HTML, printed in the run's staging folder and passed through the disclosure gate
(:mod:`fac_eval.disclosure.gate` reads its text with ``pdftotext``): A4, page numbers in
the footer ("3 / 12"), backgrounds printed (the data-kind badge keeps its colour), page breaks
as the report's print stylesheet asks. Chromium is driven through its DevTools protocol
(``Page.printToPDF``, the only way to get a page-number footer of our own), over a local
websocket opened with tornado (already installed with Jupyter). Nothing is fetched from the
network: the report is self-contained and the browser starts with background networking off.

Without Chromium (or without ``pdftotext``, :func:`check_reader`), :class:`PdfUnavailable` names
the Debian package to install; the caller still writes the HTML (``fac-eval`` exits with code 3).
The browser is ``FAC_EVAL_CHROMIUM`` when set (a path that is not an executable file is reported
as such), else ``chromium`` (or ``chromium-browser``, ``google-chrome``) on the PATH.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from fac_eval.core.i18n import N_

__all__ = ["PdfUnavailable", "PdfError", "find_chromium", "print_to_pdf", "CHROMIUM_FLAGS",
           "pdf_text", "check_reader", "check_tools"]

#: Flags for a headless Chromium that works as root and reaches no network.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-extensions", "--disable-quic")

#: A4 in inches, and the margins the footer needs.
A4 = (210 / 25.4, 297 / 25.4)
MARGINS = {"marginTop": 0.45, "marginBottom": 0.6, "marginLeft": 0.5, "marginRight": 0.5}

def footer_template() -> str:
    """The page footer Chromium prints on every page ("3 / 12"): the report's template
    ``pdf_footer.j2``."""
    from fac_eval.report.render import render

    return str(render("pdf_footer.j2", "fr"))


class PdfUnavailable(RuntimeError):
    """A tool the PDF needs is missing: ``missing`` is ``"chromium"`` (the browser that prints
    it), ``"pdftotext"`` (the reader the disclosure gate scans it with) or ``"both"``; ``configured`` is the
    FAC_EVAL_CHROMIUM path that is not an executable file, if that is the cause. The message
    says which Debian package to install."""

    def __init__(self, detail: str = "", missing: str = "chromium", configured: str = ""):
        super().__init__(detail or f"{missing} not found")
        self.missing = missing
        self.configured = configured

    def message(self, lang: str = "fr") -> str:
        from fac_eval.core.i18n import tr

        if self.missing == "both" and self.configured:
            return tr(lang, N_("No PDF: FAC_EVAL_CHROMIUM=%(path)s is not an executable file, and "
                               "pdftotext, needed to check the PDF for personal data before it is "
                               "published, was not found. Install the Debian packages `chromium` "
                               "and `poppler-utils` (apt-get install chromium poppler-utils) or "
                               "correct FAC_EVAL_CHROMIUM; the HTML report was produced."),
                      path=self.configured)
        if self.missing == "both":
            return tr(lang, N_("No PDF: neither Chromium nor pdftotext (needed to check the PDF "
                               "for personal data before it is published) was found. Install the "
                               "Debian packages `chromium` and `poppler-utils` (apt-get install "
                               "chromium poppler-utils); the HTML report was produced."))
        if self.missing == "pdftotext":
            return tr(lang, N_("No PDF: pdftotext, needed to check the PDF for personal data "
                               "before it is published, was not found. Install the Debian "
                               "package `poppler-utils` (apt-get install poppler-utils); the HTML "
                               "report was produced."))
        if self.configured:
            return tr(lang, N_("No PDF: FAC_EVAL_CHROMIUM=%(path)s is not an executable file. "
                               "Install the Debian package `chromium` (apt-get install chromium) "
                               "or correct FAC_EVAL_CHROMIUM; the HTML report was produced."),
                      path=self.configured)
        return tr(lang, N_("No PDF: Chromium was not found. Install the Debian package `chromium` "
                           "(apt-get install chromium) or set FAC_EVAL_CHROMIUM to its path; the "
                           "HTML report was produced."))


class PdfError(RuntimeError):
    """Chromium ran but could not print the report."""


def find_chromium() -> str:
    """Path of the Chromium executable (``FAC_EVAL_CHROMIUM``, else ``chromium`` on the PATH)."""
    env = os.environ.get("FAC_EVAL_CHROMIUM")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise PdfUnavailable(f"FAC_EVAL_CHROMIUM={env} is not an executable file",
                             configured=env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable("chromium not found")


def _cdp(ws_url: str, html_url: str, timeout: float) -> bytes:
    """Open ``html_url`` in the page target behind ``ws_url`` and return the printed PDF."""
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    async def run() -> bytes:
        conn = await websocket_connect(ws_url, max_message_size=512 * 1024 * 1024)
        counter = 0

        async def call(method: str, **params):
            nonlocal counter
            counter += 1
            mine = counter
            conn.write_message(json.dumps({"id": mine, "method": method, "params": params}))
            while True:
                raw = await conn.read_message()
                if raw is None:
                    raise PdfError("Chromium closed the connection")
                msg = json.loads(raw)
                if msg.get("id") == mine:
                    if "error" in msg:
                        raise PdfError(f"{method}: {msg['error'].get('message')}")
                    return msg.get("result", {})
                if method == "Page.navigate" and msg.get("method") == "Page.loadEventFired":
                    loaded.append(True)

        loaded: list[bool] = []
        await call("Page.enable")
        await call("Page.navigate", url=html_url)
        while not loaded:
            raw = await conn.read_message()
            if raw is None:
                raise PdfError("Chromium closed the connection")
            if json.loads(raw).get("method") == "Page.loadEventFired":
                break
        await call("Emulation.setEmulatedMedia", media="print")
        result = await call(
            "Page.printToPDF", paperWidth=A4[0], paperHeight=A4[1], printBackground=True,
            displayHeaderFooter=True, headerTemplate="<span></span>", footerTemplate=footer_template(),
            preferCSSPageSize=False, **MARGINS)
        conn.close()
        return base64.b64decode(result["data"])

    return IOLoop.current().run_sync(run, timeout=timeout)


def print_to_pdf(html: Path, pdf: Path, timeout: float = 120.0) -> Path:
    """Print ``html`` to ``pdf`` (written atomically: a temporary file renamed at the end)."""
    exe = find_chromium()
    html = Path(html).resolve()
    pdf = Path(pdf)
    with tempfile.TemporaryDirectory(prefix="fac-eval-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            ws = None
            deadline = time.monotonic() + 30
            assert proc.stderr is not None
            while time.monotonic() < deadline:
                line = proc.stderr.readline()
                if not line:
                    if proc.poll() is not None:
                        break
                    continue
                found = re.search(r"DevTools listening on (ws://\S+)", line)
                if found:
                    ws = found.group(1)
                    break
            if ws is None:
                raise PdfError("Chromium did not start its DevTools endpoint")
            port = re.search(r":(\d+)/", ws)
            if port is None:
                raise PdfError(f"unexpected DevTools address {ws}")
            page_ws = _page_target(int(port.group(1)))
            data = _cdp(page_ws, html.as_uri(), timeout)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    tmp = pdf.with_name(f".{pdf.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, pdf)
    return pdf


def _page_target(port: int) -> str:
    import urllib.request

    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = json.loads(r.read().decode())
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise PdfError("Chromium opened no page")
        time.sleep(0.1)


def check_tools() -> None:
    """Raise :class:`PdfUnavailable` naming every tool the PDF needs that is missing, at once:
    Chromium (:func:`find_chromium`) and the gate's PDF reader (:func:`check_reader`), so that
    one install line gives both (``missing="both"``)."""
    errors = []
    for check in (find_chromium, check_reader):
        try:
            check()
        except PdfUnavailable as err:
            errors.append(err)
    if len(errors) == 2:
        raise PdfUnavailable("chromium and pdftotext not found", missing="both",
                             configured=errors[0].configured)
    if errors:
        raise errors[0]


def check_reader() -> None:
    """Raise :class:`PdfUnavailable` when no reader can give the disclosure gate a PDF's text
    (poppler's ``pdftotext``, else ``pypdf`` if installed): a PDF that cannot be scanned is
    never published, so it is not printed either."""
    if shutil.which("pdftotext"):
        return
    try:
        import pypdf  # noqa: F401
    except ImportError:
        raise PdfUnavailable("pdftotext not found (Debian package poppler-utils)",
                             missing="pdftotext") from None


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (poppler's ``pdftotext``), for the leak scan and tests."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise PdfUnavailable("pdftotext not found (Debian package poppler-utils)",
                             missing="pdftotext")
    out = subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
