// QualWeb on a list of pages, in Debian's Chromium: the Node side of pipeline/quality/qualweb.py.
//
// Input (argv[2], JSON): {"tools": <folder with node_modules>, "chromium": <path>,
// "args": [Chromium flags], "urls": [...], "levels": ["A", "AA"], "modules": [...]}.
// Output (stdout, one JSON object): {"pages": {url: {"status": the HTTP status of the page or
// null, "report": {"modules": {module: {"assertions": {code: {name, outcome, criteria:
// [{name, level}], failed: [{description, selectors}]}}}}}}}}, QualWeb's report cut down to
// what the Python side reads. Everything else (QualWeb's logging, a page it could not load)
// goes to stderr. This script only reports what happened; the Python side decides what counts
// as a failure.

import { createRequire } from 'node:module';
import path from 'node:path';

const input = JSON.parse(process.argv[2]);
// The packages live in the tools folder, not next to this script.
const require = createRequire(path.join(input.tools, 'package.json'));
const { QualWeb } = require('@qualweb/core');

// QualWeb's modules, by the name its reports use for them.
const MODULES = {
  'act-rules': () => new (require('@qualweb/act-rules').ACTRules)({ levels: input.levels }),
  'wcag-techniques': () =>
    new (require('@qualweb/wcag-techniques').WCAGTechniques)({ levels: input.levels }),
};

// stdout carries the result only: anything a library logs goes to stderr.
const out = process.stdout;
console.log = console.info = console.warn = console.error;

function trim(report) {
  // Only what the Python side reads: per module, each assertion's outcome, criteria and the
  // failed results (the full report carries the page's whole HTML).
  const modules = {};
  for (const [name, module] of Object.entries(report.modules ?? {})) {
    const assertions = {};
    for (const [code, a] of Object.entries(module.assertions ?? {})) {
      assertions[code] = {
        name: a.name,
        outcome: a.metadata?.outcome,
        criteria: (a.metadata?.['success-criteria'] ?? []).map((c) => ({
          name: c.name,
          level: c.level,
        })),
        failed: (a.results ?? [])
          .filter((r) => r.verdict === 'failed')
          .map((r) => ({
            description: r.description,
            selectors: (r.elements ?? []).map((e) => e.pointer ?? ''),
          })),
      };
    }
    modules[name] = { assertions };
  }
  return { modules };
}

// QualWeb (core 0.8.7) starts loading its helper scripts into a page without waiting for them
// (QualwebPage.getTestingData calls addNecessaryScripts without await), so a module's script
// can run before them and fail at random ("reading 'isElementVisible'"). The module's script
// waits for them here.
const { QualwebPage } = require('@qualweb/core/lib');
const addHelpers = QualwebPage.prototype.addNecessaryScripts;
QualwebPage.prototype.addNecessaryScripts = function () {
  this.helpersAdded = addHelpers.call(this);
  return this.helpersAdded;
};
const addModule = QualwebPage.prototype.addEvaluationScript;
QualwebPage.prototype.addEvaluationScript = async function (module) {
  await this.helpersAdded;
  return addModule.call(this, module);
};
// A promise nobody waits for must not end the process: a page whose evaluation did not
// complete has no report, and the Python side fails the audit for it.
process.on('unhandledRejection', (error) => {
  console.error(`QualWeb (not awaited): ${error?.message ?? error}`);
});

const statuses = {};
const qualweb = new QualWeb({});
qualweb.use({
  // The HTTP status of each page's own document, so that an error page is not audited as if
  // it were the page asked for.
  beforePageLoad(page, url) {
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        statuses[url] ??= response.status();
      }
    });
  },
});

let failed = false;
try {
  await qualweb.start(
    { maxConcurrency: 1, timeout: 120 * 1000 },
    { executablePath: input.chromium, headless: true, args: input.args },
  );
  const reports = await qualweb.evaluate({
    urls: input.urls,
    modules: input.modules.map((name) => MODULES[name]()),
    log: { console: true },
  });
  const pages = {};
  for (const [url, report] of Object.entries(reports)) {
    pages[url] = { status: statuses[url] ?? null, report: trim(report) };
  }
  out.write(JSON.stringify({ pages }) + '\n');
} catch (error) {
  console.error(`QualWeb could not run: ${error?.stack ?? error}`);
  failed = true;
} finally {
  await qualweb.stop().catch(() => {});
}
process.exit(failed ? 1 : 0);
