#!/usr/bin/env node
// Prints what `npm run mutation` measured, from Stryker's JSON report: the mutation score per
// folder of the decision code against its target (90 % in core/gate and core/rollout, 85 %
// elsewhere), then every surviving mutant with its place and change. Exits 1 when a folder
// is under its target or the report is missing.
//   node scripts/mutationSummary.js [reports/mutation/mutation.json]
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

const TARGETS = { "core/gate": 90, "core/rollout": 90 };
const DEFAULT_TARGET = 85;

/** The folder a mutated file is scored under: core/<area> or policy. */
function folderOf(file) {
  const parts = file.split("/");
  return parts[0] === "core" ? parts.slice(0, 2).join("/") : parts[0];
}

/** Stryker's score: killed and timed-out over all valid mutants (no coverage counts as survived). */
function score(mutants) {
  const detected = mutants.filter((m) => m.status === "Killed" || m.status === "Timeout").length;
  const valid = mutants.filter((m) =>
    ["Killed", "Timeout", "Survived", "NoCoverage"].includes(m.status),
  ).length;
  return { detected, valid, percent: valid === 0 ? 100 : (100 * detected) / valid };
}

function main() {
  const file = process.argv[2] ?? path.join("reports", "mutation", "mutation.json");
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`mutation summary: cannot read ${file}: ${e.message} (run npm run mutation)`);
    process.exit(1);
  }
  const byFolder = new Map();
  const survivors = [];
  for (const [name, result] of Object.entries(report.files)) {
    const rel = path.relative(process.cwd(), path.resolve(name)).split(path.sep).join("/");
    const folder = folderOf(rel);
    if (!byFolder.has(folder)) byFolder.set(folder, []);
    for (const m of result.mutants) {
      byFolder.get(folder).push(m);
      if (m.status === "Survived" || m.status === "NoCoverage") {
        survivors.push(
          `${rel}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status === "NoCoverage" ? "(no test covers it) " : ""}-> ${JSON.stringify(m.replacement ?? "")}`,
        );
      }
    }
  }
  let below = 0;
  console.log("mutation score by folder (killed + timed out / valid mutants):");
  for (const [folder, mutants] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const s = score(mutants);
    const target = TARGETS[folder] ?? DEFAULT_TARGET;
    const ok = s.percent >= target;
    if (!ok) below++;
    console.log(
      `  ${folder.padEnd(14)} ${s.percent.toFixed(1).padStart(5)}% (${s.detected}/${s.valid})  target ${target}%  ${ok ? "ok" : "BELOW"}`,
    );
  }
  const all = score([...byFolder.values()].flat());
  console.log(
    `  ${"all".padEnd(14)} ${all.percent.toFixed(1).padStart(5)}% (${all.detected}/${all.valid})`,
  );
  console.log(`surviving mutants: ${survivors.length}`);
  for (const s of survivors) console.log(`  ${s}`);
  process.exit(below > 0 ? 1 : 0);
}

main();
