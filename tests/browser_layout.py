"""Measure a report's tables in headless Chromium at a given viewport width (issue 13).

The browser is started as fac_eval.run.pdf starts it (same flags, fresh profile, DevTools on a
local port); the page is opened with ``Emulation.setDeviceMetricsOverride`` at ``width`` CSS
pixels (a true 390 px phone viewport: the window of a headless Chromium is at least 500 px
wide) and a script returns, for each table, its caption, the width of its scroll region and
of its content, and the document's own scroll width."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

from fac_eval.run.pdf import CHROMIUM_FLAGS, _page_target, find_chromium

MEASURE = """(() => {
  const out = [];
  document.querySelectorAll('.table-wrap').forEach((w) => {
    const s = w.querySelector('.table-scroll') || w;
    const cap = w.querySelector('.table-caption');
    out.push({caption: cap ? cap.textContent.trim() : '', client: s.clientWidth,
              scroll: s.scrollWidth, top: w.getBoundingClientRect().top + window.scrollY,
              height: w.getBoundingClientRect().height});
  });
  return JSON.stringify({tables: out, viewport: window.innerWidth,
                         document: document.documentElement.scrollWidth});
})()"""


def measure_tables(html: Path, width: int, height: int = 900, timeout: float = 60) -> dict:
    """``{"tables": [{"caption", "client", "scroll"}...], "viewport", "document"}`` for the
    report ``html`` laid out at ``width`` CSS pixels (screen media)."""
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    exe = find_chromium()
    with tempfile.TemporaryDirectory(prefix="fac-eval-layout-",
                                     ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            ws = None
            deadline = time.monotonic() + 30
            assert proc.stderr is not None
            while ws is None and time.monotonic() < deadline:
                line = proc.stderr.readline()
                if not line and proc.poll() is not None:
                    break
                found = re.search(r"DevTools listening on (ws://\S+)", line or "")
                ws = found.group(1) if found else None
            assert ws, "Chromium did not start its DevTools endpoint"
            page_ws = _page_target(int(re.search(r":(\d+)/", ws).group(1)))

            async def run() -> dict:
                conn = await websocket_connect(page_ws, max_message_size=64 * 1024 * 1024)
                counter = 0
                events: list[str] = []

                async def call(method, **params):
                    nonlocal counter
                    counter += 1
                    mine = counter
                    conn.write_message(json.dumps({"id": mine, "method": method,
                                                   "params": params}))
                    while True:
                        msg = json.loads(await conn.read_message())
                        if msg.get("id") == mine:
                            assert "error" not in msg, msg
                            return msg.get("result", {})
                        if "method" in msg:
                            events.append(msg["method"])

                await call("Page.enable")
                await call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                           deviceScaleFactor=1, mobile=False)
                await call("Page.navigate", url=Path(html).resolve().as_uri())
                while "Page.loadEventFired" not in events:
                    msg = json.loads(await conn.read_message())
                    if "method" in msg:
                        events.append(msg["method"])
                result = await call("Runtime.evaluate", expression=MEASURE, returnByValue=True)
                conn.close()
                return json.loads(result["result"]["value"])

            return IOLoop.current().run_sync(run, timeout=timeout)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
