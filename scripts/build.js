#!/usr/bin/env node
// `npm run build` (and `npm ci`, through `prepare`): compiles the genesis command ahead of
// time into bin/dist/ from an empty folder, so that a source moved or deleted leaves no
// compiled orphan behind (bin/genesis.js runs the build only while every compiled file has
// its source, and would otherwise fall back to ts-node for good).
"use strict";
const { rmSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
rmSync(path.join(root, "bin", "dist"), { recursive: true, force: true });
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const run = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
  cwd: root,
  stdio: "inherit",
});
process.exit(run.status ?? 1);
