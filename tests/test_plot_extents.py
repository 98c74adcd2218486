"""Every text of every chart inside the figure (issue 13): the end-of-session chart of
synth-2024 cut its notes ("n = 13 (1 sans réponse)") at the SVG's right edge. Each chart the
session reports draw is laid out and each of its texts' extents (matplotlib's renderer, the
same layout the SVG is written from) is checked against the figure's box; the written SVG's
texts are checked against its viewBox too."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from matplotlib.text import Text

from fac_eval.analysis import results as analysis
from fac_eval.report import plots
from fac_eval.report import session as report

#: tolerance, in pixels at the figure's 100 dpi
PAD = 0.5


def texts_outside(fig) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The non-empty visible texts of ``fig`` whose extent leaves the figure's box."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    box = fig.bbox
    # a tick outside the axis' view limits keeps its label object but is not drawn
    drawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn |= {id(lab) for tick in axis._update_ticks()
                      for lab in (tick.label1, tick.label2)}
    ticks = {id(lab) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for lab in (tick.label1, tick.label2)}
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if id(t) in ticks and id(t) not in drawn:
            continue
        e = t.get_window_extent(renderer)
        if (e.x0 < box.x0 - PAD or e.x1 > box.x1 + PAD or e.y0 < box.y0 - PAD
                or e.y1 > box.y1 + PAD):
            out.append((t.get_text(), (round(e.x0), round(e.y0), round(e.x1), round(e.y1))))
    return out


@pytest.fixture(scope="module", params=[("synth-2024", "fr"), ("synth-2024", "en"),
                                        ("2022", "fr"), ("2022", "en")])
def charts(request, monkeypatch_module):
    """Every chart of a session report, checked as it is turned into SVG: ``(name, outside
    texts, svg)``."""
    session, lang = request.param
    seen = []
    real = plots.figure_svg

    def check(fig, alt, clear=True):
        outside = texts_outside(fig)
        svg = real(fig, alt, clear=clear)
        seen.append((alt[:60], outside, svg))
        return svg

    monkeypatch_module.setattr(plots, "figure_svg", check)
    res = analysis.compute_session(REPO / "data" / "raw" / session)
    rep = report.Report(res, lang=lang)
    for name in ("public", "learners", "founders", "followup", "testimonies"):
        getattr(rep, name)()
    return request.param, seen


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_every_text_of_every_chart_is_inside_the_figure(charts):
    _, seen = charts
    assert len(seen) >= 5
    for alt, outside, _svg in seen:
        assert not outside, (alt, outside)


def _viewbox(svg: str) -> tuple[float, float]:
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg, flags=re.I)
    assert found, svg[:300]
    return float(found.group(1)), float(found.group(2))


def svg_text_boxes(svg: str) -> list[tuple[str, float, float, float]]:
    """Each horizontal <text> of a chart's SVG: (text, left, right, baseline y) in viewBox
    units, its width measured with the chart's font (matplotlib's text-to-path metrics)."""
    import html

    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    from fac_eval.report.plots.style import FONT_FAMILY

    out = []
    for attrs, body in re.findall(r"<text\b([^>]*)>(.*?)</text>", svg, flags=re.S):
        if "rotate(-90" in attrs or "rotate(90" in attrs:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        size = float(re.search(r"font-size: ([\d.]+)px", attrs).group(1))
        weight = "bold" if "font-weight: 700" in attrs or "bold" in attrs else "normal"
        at = (re.search(r'\bx="([-\d.]+)"[^>]*\by="([-\d.]+)"', attrs)
              or re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", attrs))
        assert at, attrs
        x, y = float(at.group(1)), float(at.group(2))
        width = text_to_path.get_text_width_height_descent(
            text, FontProperties(family=FONT_FAMILY, size=size, weight=weight), ismath=False)[0]
        anchor = re.search(r"text-anchor: (\w+)", attrs)
        anchor = anchor.group(1) if anchor else "start"
        left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
        out.append((text, left, left + width, y))
    return out


def test_every_svg_text_lies_inside_the_viewbox(charts):
    """The written SVG: each text, with its measured width, within the viewBox."""
    _, seen = charts
    for alt, _outside, svg in seen:
        w, h = _viewbox(svg)
        boxes = svg_text_boxes(svg)
        assert boxes, alt
        for text, left, right, y in boxes:
            assert -1 <= left and right <= w + 1 and 0 <= y <= h + 1, (alt, text, left, right, w)


def test_the_end_of_session_notes_of_synth_2024_are_on_the_chart(charts):
    """synth-2024's declarations chart writes its "(1 sans réponse)" notes, inside the
    viewBox (the last line of a long label followed by the note ran to x = 513 of 360)."""
    (session, lang), seen = charts
    if session != "synth-2024":
        pytest.skip("only synth-2024 has unanswered declarations")
    word = "sans réponse" if lang == "fr" else "no answer"
    notes = [(text, right, _viewbox(svg)[0]) for _a, _o, svg in seen
             for text, _l, right, _y in svg_text_boxes(svg) if word in text]
    assert notes
    for text, right, width in notes:
        assert right <= width + 1, (text, right, width)


def test_a_note_too_long_for_the_label_line_goes_on_its_own_line():
    from fac_eval.report.plots.style import _note_on_own_line

    label = "Je suis capable de prendre du recul et de regarder\nune situation objectivement"
    assert _note_on_own_line(label, "n = 13 (1 sans réponse)", 46)
    assert not _note_on_own_line("Court", "n = 13", 46)
    assert not _note_on_own_line(label, "", 46)
