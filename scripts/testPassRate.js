#!/usr/bin/env node
// Judges a mocha JSON report for a release:
//   node scripts/testPassRate.js test-results.json 95 [--critical scripts/criticalSuites.json] [--root DIR]
// - the overall pass rate must reach the minimum (the seed's bar);
// - with --critical, every layer named there (gate, rollback, alerting, policy, security) must
//   pass whole: each test file of the layer found under the root must have run, and none of
//   its tests or hooks may fail or be pending, whatever the overall rate.
// A missing, malformed or empty report fails (nothing to judge is never a pass).
"use strict";
const { readFileSync, readdirSync } = require("node:fs");
const path = require("node:path");

const USAGE =
  "usage: node scripts/testPassRate.js <mocha-json-report> <minimum percent 0-100> [--critical <layers.json>] [--root <dir>]";

/** Parses the command line; exits 64 on a usage mistake. */
function parseArgs(argv) {
  const positional = [];
  const options = { critical: undefined, root: path.resolve(__dirname, "..") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--critical" || a === "--root") {
      const value = argv[++i];
      if (value === undefined) fail64(`${a} needs a value`);
      options[a.slice(2)] = value;
    } else if (a.startsWith("--")) {
      fail64(`unknown option ${a}; allowed: --critical, --root`);
    } else {
      positional.push(a);
    }
  }
  const [file, minText] = positional;
  const minPercent = Number(minText);
  if (
    positional.length !== 2 ||
    minText.trim() === "" ||
    !Number.isFinite(minPercent) ||
    minPercent < 0 ||
    minPercent > 100
  ) {
    fail64(USAGE);
  }
  return { file, minPercent, ...options };
}

function fail64(message) {
  console.error(message);
  process.exit(64);
}

/** A glob (`**` any folders, `*` any name part) as a regular expression over `/` paths. */
function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") {
      re += "[^/]*";
    } else {
      re += /[\\^$.|?+()[\]{}]/.test(c) ? `\\${c}` : c;
    }
  }
  return new RegExp(`^${re}$`);
}

/** Every file under `root` (relative, with `/`), skipping node_modules and dot folders. */
function listFiles(root, dir = "") {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out;
}

/** The problems of each critical layer in `report` (empty when every layer passed whole). */
function criticalProblems(report, layers, root) {
  const rel = (file) =>
    path
      .relative(root, path.resolve(root, file || ""))
      .split(path.sep)
      .join("/");
  const ran = new Set((report.tests || []).map((t) => rel(t.file)));
  const files = listFiles(root);
  const lines = [];
  const summary = [];
  for (const [layer, globs] of Object.entries(layers)) {
    const patterns = globs.map(globToRegExp);
    const inLayer = (file) => patterns.some((p) => p.test(file));
    const expected = files.filter(inLayer);
    const tests = (report.tests || []).filter((t) => inLayer(rel(t.file)));
    const failures = (report.failures || []).filter((t) => inLayer(rel(t.file)));
    const pending = (report.pending || []).filter((t) => inLayer(rel(t.file)));
    const missing = expected.filter((f) => !ran.has(f));
    const problems = [];
    if (expected.length === 0) problems.push("no test file matches its patterns");
    for (const f of missing) problems.push(`${f} did not run`);
    for (const t of failures) problems.push(`failed: ${t.fullTitle} (${rel(t.file)})`);
    for (const t of pending) problems.push(`skipped: ${t.fullTitle} (${rel(t.file)})`);
    summary.push(`${layer} ${tests.length - failures.length}/${tests.length}`);
    for (const p of problems) lines.push(`critical layer ${layer}: ${p}`);
  }
  return { lines, summary: summary.join(", ") };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let report;
  try {
    report = JSON.parse(readFileSync(args.file, "utf8"));
  } catch (e) {
    console.error(`test pass rate: cannot read ${args.file}: ${e.message}`);
    process.exit(1);
  }
  const stats = report && report.stats;
  const tests = Number(stats && stats.tests);
  const passes = Number(stats && stats.passes);
  if (!Number.isInteger(tests) || !Number.isInteger(passes) || tests === 0) {
    console.error(`test pass rate: ${args.file} reports no tests; got ${JSON.stringify(stats)}`);
    process.exit(1);
  }
  const rate = (100 * passes) / tests;
  const line = `test pass rate ${rate.toFixed(1)}% (${passes}/${tests})`;
  let failed = false;
  if (rate < args.minPercent) {
    console.error(`${line} < minimum ${args.minPercent}%`);
    failed = true;
  } else {
    console.log(`${line} >= minimum ${args.minPercent}%`);
  }
  if (args.critical !== undefined) {
    let layers;
    try {
      layers = JSON.parse(readFileSync(args.critical, "utf8")).layers;
    } catch (e) {
      console.error(`critical layers: cannot read ${args.critical}: ${e.message}`);
      process.exit(1);
    }
    if (layers === null || typeof layers !== "object" || Object.keys(layers).length === 0) {
      console.error(`critical layers: ${args.critical} names no layers`);
      process.exit(1);
    }
    const { lines, summary } = criticalProblems(report, layers, args.root);
    if (lines.length > 0) {
      for (const l of lines) console.error(l);
      console.error(`critical layers must pass whole: refused (${summary})`);
      failed = true;
    } else {
      console.log(`critical layers passed whole: ${summary}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
