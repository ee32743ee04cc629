#!/usr/bin/env node
// The `genesis` operator command.
//
// Runs the CLI compiled ahead of time into bin/dist/ (`npm run build`, which `npm ci` runs
// through the `prepare` script) when that build is up to date, and otherwise the TypeScript
// sources through ts-node (transpile only; `npm run check` type-checks them). Either way the
// command and the providers share one code. A build is up to date when every compiled file
// is at least as new as its source file and both tsconfig files: editing a source after a
// build makes the command fall back to ts-node (slower to start, never stale) until the
// next `npm run build`. Checking costs a few milliseconds; compiling at each start cost
// seconds.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(__dirname, "dist");
const TSCONFIGS = ["tsconfig.json", "tsconfig.build.json"];

/** Modification time of `file` in ms, or undefined when it does not exist. */
function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * True when bin/dist/ holds a build of the current sources: every compiled .js (and copied
 * .json) file in it has its source and is not older than it, and neither tsconfig changed
 * after the build. A source imported for the first time makes its importer change, so
 * walking the compiled files is enough.
 */
function buildIsCurrent() {
  const entry = mtimeMs(path.join(DIST, "cli", "main.js"));
  if (entry === undefined) return false;
  for (const config of TSCONFIGS) {
    const changed = mtimeMs(path.join(ROOT, config));
    if (changed === undefined || changed > entry) return false;
  }
  const pending = [DIST];
  while (pending.length > 0) {
    const dir = pending.pop();
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const compiled = path.join(dir, item.name);
      if (item.isDirectory()) {
        pending.push(compiled);
        continue;
      }
      const relative = path.relative(DIST, compiled);
      let source;
      if (relative.endsWith(".js")) source = relative.slice(0, -3) + ".ts";
      else if (relative.endsWith(".json")) source = relative;
      else continue;
      const sourceTime = mtimeMs(path.join(ROOT, source));
      if (sourceTime === undefined || sourceTime > fs.statSync(compiled).mtimeMs) return false;
    }
  }
  return true;
}

/** Compiles .ts files as Node loads them from now on, as `npm test` and Pulumi do. */
function registerTsNode() {
  require("ts-node").register({
    transpileOnly: true,
    project: path.join(ROOT, "tsconfig.json"),
  });
}

/**
 * Packages the compiled CLI loads only when a command first uses them, with what each costs
 * to load on this kind of machine. The compiled code reads them as `module_1.Name` (named
 * imports) or through `__importStar`, which takes a module marked `__esModule` as it is,
 * and never calls or enumerates the module object itself: a stand-in that loads the real
 * module at the first property read is then indistinguishable from it.
 */
const DEFERRED_PACKAGES = new Set([
  "@pulumi/pulumi", // ~0.45 s with its Automation API: rollout, rollback, security-check
  "@pulumi/pulumi/automation",
  "yaml", // ~35 ms: read by commands that load a stack, not by --help
  "cli-progress", // ~5 ms: rollout's progress bar
]);

/**
 * Compiled modules of ours deferred the same way, by path under bin/dist/: the stack
 * configuration's zod schemas (~50 ms with zod, half of `--help`) are built when a command
 * first parses a stack or checks for a ConfigError.
 */
const DEFERRED_MODULES = new Set([path.join(DIST, "core", "config", "stackConfig.js")]);

/** True when `request` from `parent` (a compiled module) names a module to defer. */
function isDeferred(request, parent) {
  if (!parent || !parent.filename || !parent.filename.startsWith(DIST + path.sep)) return false;
  if (DEFERRED_PACKAGES.has(request)) return true;
  return (
    request.endsWith("/stackConfig") &&
    DEFERRED_MODULES.has(Module._resolveFilename(request, parent, false))
  );
}

/** A stand-in for a module that `load()` loads at the first use of one of its exports. */
function deferredModule(load) {
  let real;
  const loaded = () => (real ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => (key === "__esModule" ? true : Reflect.get(loaded(), key)),
      has: (_, key) => Reflect.has(loaded(), key),
      ownKeys: () => Reflect.ownKeys(loaded()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(loaded(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/**
 * Prepares the process to run the compiled CLI:
 * - DEFERRED_PACKAGES and DEFERRED_MODULES load when the compiled code first uses them,
 *   so `--help`, `gate` and `render` never load Pulumi (the CLI's modules import everything
 *   at their top, and --help registers every command);
 * - `security-check` loads the Pulumi program (index.ts) itself: ts-node is registered the
 *   first time a .ts file is required, so only that command pays for it.
 */
function prepareCompiled() {
  const load = Module._load;
  Module._load = function loadDeferred(request, parent, isMain) {
    if (isDeferred(request, parent)) {
      return deferredModule(() => load.call(this, request, parent, isMain));
    }
    return load.call(this, request, parent, isMain);
  };

  const loadJs = Module._extensions[".js"];
  let tsNodeRegistered = false;
  Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    if (!tsNodeRegistered) {
      tsNodeRegistered = true;
      registerTsNode();
      return Module._extensions[".ts"](module, filename);
    }
    return loadJs(module, filename);
  };
}

let cli;
if (buildIsCurrent()) {
  prepareCompiled();
  cli = require(path.join(DIST, "cli", "main.js"));
} else {
  registerTsNode();
  cli = require("../cli/main");
}
cli.main(process.argv).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(70);
  },
);
