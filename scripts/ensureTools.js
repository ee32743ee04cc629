#!/usr/bin/env node
// Makes sure the real tools the test suite runs are on this machine: Prometheus, promtool,
// Alertmanager, amtool and Node Exporter from Debian's packages, and shellcheck. Installs
// them when it can (root with apt-get); otherwise stops with the exact command to run.
// Never skips a layer.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");

const TOOLS = [
  { bin: "prometheus", pkg: "prometheus" },
  { bin: "promtool", pkg: "prometheus" },
  { bin: "prometheus-alertmanager", pkg: "prometheus-alertmanager" },
  { bin: "amtool", pkg: "prometheus-alertmanager" },
  { bin: "prometheus-node-exporter", pkg: "prometheus-node-exporter" },
  { bin: "shellcheck", pkg: "shellcheck" },
];

const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;

const missing = TOOLS.filter((t) => !has(t.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((t) => t.pkg))];
const command = `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !has("apt-get")) {
  console.error(
    `The test suite needs ${missing.map((t) => t.bin).join(", ")} (Debian packages: ${pkgs.join(", ")}).\n` +
      `Install them, then run npm test again:\n  sudo sh -c '${command}'`,
  );
  process.exit(1);
}
console.error(`Installing ${pkgs.join(", ")} for the integration tests: ${command}`);
execFileSync("sh", ["-c", command], {
  stdio: "inherit",
  env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
});
const still = TOOLS.filter((t) => !has(t.bin));
if (still.length > 0) {
  console.error(`Still missing after the install: ${still.map((t) => t.bin).join(", ")}`);
  process.exit(1);
}
