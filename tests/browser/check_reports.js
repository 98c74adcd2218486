#!/usr/bin/env node
// Measures fac-eval HTML reports in the system Chromium (puppeteer-core) and prints one JSON
// object on stdout; tests/test_browser_a11y.py asserts on it.
//
//   node check_reports.js --out DIR [--widths 390,1280] [--pdf] [--shots] REPORT.html ...
//
// For every report and width: axe-core violations, tables and page wider than the screen,
// raster images shrunk below half their natural width, SVG chart text sizes in CSS pixels,
// requests leaving the machine; then in print emulation the badges' print-color-adjust and
// background, the headings' break-after, the break-inside of cards / figures / table notes.
// --labelled: also measures at 390 px after giving every body cell the data-label of its
// column (what the report's table markup provides), to check the stacked layout of the
// stylesheet on its own (result under widths["390-labelled"]).
// --shots: full-page screenshots to DIR/<n>-<name>-<width>.png; --pdf: each report printed
// with print_pdf.js (A4, page numbers in the footer) to DIR/<n>-<name>.pdf. Timings of each
// step go to stderr.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");
const axe = require("axe-core");
const { launchOptions, printPdf } = require("./print_pdf.js");

function parseArgs(argv) {
  const opts = { out: null, widths: [390, 1280], pdf: false, shots: false, labelled: false,
                 files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") opts.out = argv[++i];
    else if (a === "--widths") opts.widths = argv[++i].split(",").map(Number);
    else if (a === "--pdf") opts.pdf = true;
    else if (a === "--shots") opts.shots = true;
    else if (a === "--labelled") opts.labelled = true;
    else opts.files.push(a);
  }
  if (!opts.out || !opts.files.length) {
    throw new Error("usage: check_reports.js --out DIR [--widths 390,1280] [--pdf] FILE...");
  }
  return opts;
}

// Runs in the page: geometry of tables, images and SVG text at the current width.
function measureScreen() {
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    const cap = el.querySelector && el.querySelector("caption");
    return (cap ? cap.textContent : el.outerHTML.slice(0, 80)).trim().slice(0, 90);
  };
  const tables = [...document.querySelectorAll("table")].map((t) => {
    const r = t.getBoundingClientRect();
    return { what: describe(t), width: r.width, scrollWidth: t.scrollWidth, left: r.left,
             right: r.right };
  });
  const wideTables = tables.filter((t) => t.right > vw + 0.5 || t.left < -0.5
                                   || Math.max(t.width, t.scrollWidth) > vw + 0.5);
  const images = [...document.querySelectorAll("img")].map((img) => ({
    what: (img.alt || img.src.slice(0, 60)).slice(0, 90), natural: img.naturalWidth,
    rendered: img.getBoundingClientRect().width,
  }));
  const texts = [];
  const clipped = [];
  document.querySelectorAll("svg text").forEach((t) => {
    if (!t.textContent.trim()) return;
    const m = t.getScreenCTM();
    const scale = m ? Math.hypot(m.a, m.b) : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    const box = t.getBoundingClientRect();
    texts.push({ text: t.textContent.trim().slice(0, 60), px, boxHeight: box.height });
    // drawn in the browser's font, the text must stay inside its chart (not cut off)
    const svg = t.ownerSVGElement.getBoundingClientRect();
    const tol = 1;
    if (box.left < svg.left - tol || box.right > svg.right + tol || box.top < svg.top - tol
        || box.bottom > svg.bottom + tol) {
      clipped.push({ text: t.textContent.trim().slice(0, 60),
                     over: Math.max(svg.left - box.left, box.right - svg.right,
                                    svg.top - box.top, box.bottom - svg.bottom) });
    }
  });
  const svgs = [...document.querySelectorAll("svg")].map((s) => ({
    role: s.getAttribute("role"), name: (s.querySelector("title") || {}).textContent || "",
    width: s.getBoundingClientRect().width,
  }));
  const smallest = texts.reduce((a, t) => (a && a.px <= t.px ? a : t), null);
  return {
    viewport: vw,
    pageScrollWidth: document.scrollingElement.scrollWidth,
    tables: tables.length, wideTables, images,
    svgTexts: texts.length, smallestSvgText: smallest,
    smallSvgTexts: texts.filter((t) => t.px < 9).slice(0, 20),
    clippedSvgTexts: clipped.slice(0, 20),
    svgs,
  };
}

// Runs in the page: data-label on every body cell from its column header.
function labelCells() {
  document.querySelectorAll("table").forEach((table) => {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((tr) => {
      [...tr.children].forEach((cell, i) => {
        if (!cell.hasAttribute("data-label") && heads[i]) cell.setAttribute("data-label", heads[i]);
      });
    });
  });
}

// Runs in the page in print emulation.
function measurePrint() {
  const cs = (el) => getComputedStyle(el);
  const adjust = (s) => s.getPropertyValue("print-color-adjust")
    || s.getPropertyValue("-webkit-print-color-adjust");
  const badges = [...document.querySelectorAll(".badge")].map((b) => ({
    text: b.textContent.trim(), printColorAdjust: adjust(cs(b)),
    background: cs(b).backgroundColor, color: cs(b).color,
  }));
  const banners = [...document.querySelectorAll(".banner")].map((b) => ({
    printColorAdjust: adjust(cs(b)), background: cs(b).backgroundColor,
  }));
  const headings = [...document.querySelectorAll("main h2, main h3")].map((h) => ({
    text: h.textContent.trim().slice(0, 60), breakAfter: cs(h).breakAfter,
  }));
  // kept whole: cards, figures, quotes, a note that is not a table's
  const keep = [...document.querySelectorAll(".card, figure, .table-note, blockquote")]
    .filter((e) => !e.closest(".table-wrap"))
    .map((e) => ({ what: e.className || e.tagName, breakInside: cs(e).breakInside }));
  // a table's note is a paragraph that may continue on the next page, 3 lines on each at least
  const notes = [...document.querySelectorAll(".table-wrap .table-note")].map((e) => ({
    breakInside: cs(e).breakInside, orphans: cs(e).orphans, widows: cs(e).widows }));
  const charts = [...document.querySelectorAll("svg")].map((s) => adjust(cs(s)));
  const toc = document.querySelector("nav.toc");
  return { badges, banners, headings, keep, notes, charts,
           tocDisplay: toc ? cs(toc).display : null };
}

let last = Date.now();
function tick(what) {
  const now = Date.now();
  process.stderr.write(`${what}: ${((now - last) / 1000).toFixed(1)} s\n`);
  last = now;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.out, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "fac-eval-chromium-"));
  const browser = await puppeteer.launch(launchOptions(profile));
  const results = [];
  const version = await browser.version();
  try {
    for (const [index, file] of opts.files.entries()) {
      const url = "file://" + path.resolve(file);
      const name = `${index + 1}-${path.basename(file, ".html")}`;
      const report = { file, name, widths: {} };
      const runs = opts.widths.map((w) => [w, false]);
      if (opts.labelled) runs.push([390, true]);
      for (const [width, labelled] of runs) {
        const key = labelled ? `${width}-labelled` : String(width);
        const page = await browser.newPage();
        const external = [];
        await page.setRequestInterception(true);
        page.on("request", (req) => {
          const u = req.url();
          if (!u.startsWith("file:") && !u.startsWith("data:") && !u.startsWith("about:")) {
            external.push(u);
            req.abort();
          } else req.continue();
        });
        await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
        await page.goto(url, { waitUntil: "load" });
        if (labelled) await page.evaluate(labelCells);
        await page.evaluate(axe.source);
        const axeResult = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ["violations"] });
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")), count: v.nodes.length,
          }));
        });
        const screen = await page.evaluate(measureScreen);
        if (opts.shots) {
          await page.screenshot({ path: path.join(opts.out, `${name}-${key}.png`),
                                  fullPage: true });
        }
        await page.emulateMediaType("print");
        const print = await page.evaluate(measurePrint);
        await page.emulateMediaType(null);
        report.widths[key] = { axe: axeResult, screen, print, external };
        await page.close();
        tick(`${name} at ${key} px`);
      }
      if (opts.pdf) {
        report.pdf = path.join(opts.out, `${name}.pdf`);
        await printPdf(browser, url, report.pdf);
        tick(`${name} printed`);
      }
      results.push(report);
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ chromium: version, results }));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
