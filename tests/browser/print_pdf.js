#!/usr/bin/env node
// Prints a fac-eval HTML report to PDF in the system Chromium, A4, with page numbers.
//
//   node tests/browser/print_pdf.js reports/2022/rapport_2022.html rapport_2022.pdf
//
// Page numbers: Chromium does not draw CSS page-margin boxes (@page { @bottom-center {...} }),
// so the footer comes from the DevTools printToPDF call (displayHeaderFooter + footerTemplate,
// "Page 3 sur 12" / "Page 3 of 12" after the report's lang). The report's own print stylesheet
// does the rest (colours kept, headings kept with what follows, no break inside cards, figures
// and table notes, table of contents hidden). Chromium: $CHROMIUM or /usr/bin/chromium.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

function launchOptions(profile) {
  return {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // a loaded machine (the suite runs on 2 workers) may take more than puppeteer's default
    // 30 s to start Chromium: a slow start is not a failure
    timeout: 120000,
    userDataDir: profile,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--no-first-run", "--no-default-browser-check"],
  };
}

const FOOTER = {
  fr: "Page <span class=\"pageNumber\"></span> sur <span class=\"totalPages\"></span>",
  en: "Page <span class=\"pageNumber\"></span> of <span class=\"totalPages\"></span>",
};

async function printPdf(browser, url, out) {
  const page = await browser.newPage();
  try {
    await page.goto(url, { waitUntil: "load" });
    const lang = (await page.evaluate(() => document.documentElement.lang || "fr")).slice(0, 2);
    await page.pdf({
      path: out,
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: "<div style=\"width:100%;text-align:center;font-size:9pt;"
        + "font-family:'DejaVu Sans',Arial,sans-serif;color:#333\">"
        + (FOOTER[lang] || FOOTER.fr) + "</div>",
      margin: { top: "15mm", bottom: "18mm", left: "14mm", right: "14mm" },
    });
  } finally {
    await page.close();
  }
}

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error("usage: print_pdf.js REPORT.html OUT.pdf");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "fac-eval-chromium-"));
  const browser = await puppeteer.launch(launchOptions(profile));
  try {
    await printPdf(browser, "file://" + path.resolve(input), output);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(output + "\n");
}

module.exports = { launchOptions, printPdf };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(String(err && err.stack || err) + "\n");
    process.exit(1);
  });
}
