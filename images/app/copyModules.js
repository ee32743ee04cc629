#!/usr/bin/env node
// Copies packages and everything they depend on (dependencies and installed peer
// dependencies, recursively) from a project's node_modules into another node_modules: the
// production packages the reference service's image needs, as app/Dockerfile's
// `npm prune --omit=dev` leaves them. Usage: copyModules.js PROJECT_DIR DEST PACKAGE...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [project, dest, ...roots] = process.argv.slice(2);
const source = path.join(project, "node_modules");
const seen = new Set();
const queue = [...roots];
while (queue.length > 0) {
  const name = queue.shift();
  if (seen.has(name)) continue;
  const dir = path.join(source, name);
  if (!fs.existsSync(path.join(dir, "package.json"))) {
    if (roots.includes(name)) throw new Error(`${name} is not installed in ${source}`);
    continue; // an optional peer that is not installed
  }
  seen.add(name);
  fs.cpSync(dir, path.join(dest, name), { recursive: true, dereference: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  queue.push(...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}));
}
console.log(`copied ${seen.size} packages into ${dest}`);
