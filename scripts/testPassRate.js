#!/usr/bin/env node
// Reads a mocha JSON report and fails unless the pass rate reaches the minimum:
//   node scripts/testPassRate.js test-results.json 95
// A missing, malformed or empty report fails (nothing to judge is never a pass).
"use strict";
const { readFileSync } = require("node:fs");

const [file, minText] = process.argv.slice(2);
const minPercent = Number(minText);
if (file === undefined || !Number.isFinite(minPercent) || minPercent < 0 || minPercent > 100) {
  console.error("usage: node scripts/testPassRate.js <mocha-json-report> <minimum percent 0-100>");
  process.exit(64);
}
let stats;
try {
  stats = JSON.parse(readFileSync(file, "utf8")).stats;
} catch (e) {
  console.error(`test pass rate: cannot read ${file}: ${e.message}`);
  process.exit(1);
}
const tests = Number(stats && stats.tests);
const passes = Number(stats && stats.passes);
if (!Number.isInteger(tests) || !Number.isInteger(passes) || tests === 0) {
  console.error(`test pass rate: ${file} reports no tests; got ${JSON.stringify(stats)}`);
  process.exit(1);
}
const rate = (100 * passes) / tests;
const line = `test pass rate ${rate.toFixed(1)}% (${passes}/${tests})`;
if (rate < minPercent) {
  console.error(`${line} < minimum ${minPercent}%`);
  process.exit(1);
}
console.log(`${line} >= minimum ${minPercent}%`);
