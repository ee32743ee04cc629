#!/usr/bin/env node
// Makes sure the real tools the test suite runs are on this machine: Prometheus, promtool,
// Alertmanager, amtool and Node Exporter from Debian's packages, shellcheck, and rsvg-convert
// (the chart image test), and for the engine tests Debian's docker.io (dockerd, docker) and
// busybox-static (the stand-in images' busybox). Installs them when it can (root with apt-get); otherwise stops with
// the exact command to run. Never skips a layer. With binary names as arguments
// (`node scripts/ensureTools.js prometheus ...`) it sees to those only: `npm run demo` asks
// for what it starts that way.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");

const TOOLS = [
  { bin: "prometheus", pkg: "prometheus" },
  { bin: "promtool", pkg: "prometheus" },
  { bin: "prometheus-alertmanager", pkg: "prometheus-alertmanager" },
  { bin: "amtool", pkg: "prometheus-alertmanager" },
  { bin: "prometheus-node-exporter", pkg: "prometheus-node-exporter" },
  { bin: "shellcheck", pkg: "shellcheck" },
  { bin: "rsvg-convert", pkg: "librsvg2-bin" },
  { bin: "dockerd", pkg: "docker.io" },
  { bin: "docker", pkg: "docker.io" },
  // The static busybox the stand-in images copy (Debian's `busybox` package is dynamic).
  { bin: "busybox", pkg: "busybox-static", installed: () => isInstalled("busybox-static") },
];

function isInstalled(pkg) {
  const out = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return out.status === 0 && out.stdout.trim() === "install ok installed";
}
const only = process.argv.slice(2);
const unknown = only.filter((bin) => !TOOLS.some((t) => t.bin === bin));
if (unknown.length > 0) {
  console.error(
    `ensureTools: unknown tool ${unknown.join(", ")}; known: ${TOOLS.map((t) => t.bin).join(", ")}`,
  );
  process.exit(64);
}
const wanted = only.length > 0 ? TOOLS.filter((t) => only.includes(t.bin)) : TOOLS;
const who = only.length > 0 ? "This needs" : "The test suite needs";
const again = only.length > 0 ? "run it again" : "run npm test again";

const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;

const present = (t) => (t.installed ? t.installed() : has(t.bin));
const missing = wanted.filter((t) => !present(t));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((t) => t.pkg))];
const command = `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !has("apt-get")) {
  console.error(
    `${who} ${missing.map((t) => t.bin).join(", ")} (Debian packages: ${pkgs.join(", ")}).\n` +
      `Install them, then ${again}:\n  sudo sh -c '${command}'`,
  );
  process.exit(1);
}
console.error(`Installing ${pkgs.join(", ")}: ${command}`);
execFileSync("sh", ["-c", command], {
  stdio: "inherit",
  env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
});
const still = wanted.filter((t) => !present(t));
if (still.length > 0) {
  console.error(`Still missing after the install: ${still.map((t) => t.bin).join(", ")}`);
  process.exit(1);
}
