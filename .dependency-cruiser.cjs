// The layering, kept by a tool rather than by memory (`npm run check:layers`, part of
// `npm run check`). See ARCHITECTURE.md for the layers and why they point one way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-is-pure",
      comment:
        "core/ is pure TypeScript: it imports only core/ and plain libraries (yaml, zod), never Pulumi, an HTTP client, the file system, the network or a process.",
      severity: "error",
      from: { path: "^core/" },
      to: {
        pathNot: ["^core/", "node_modules/(yaml|zod)/", "^node:crypto$", "^crypto$"],
      },
    },
    {
      name: "components-never-import-cli",
      comment:
        "components/ declares resources; the operator command builds on it, never the reverse.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^cli/" },
    },
    {
      name: "cli-never-imports-components",
      comment:
        "The operator command reaches the services through io/ and judges through core/; components/ are Pulumi declarations it has no use for.",
      severity: "error",
      from: { path: "^cli/" },
      to: { path: "^components/" },
    },
    {
      name: "io-imports-only-core",
      comment:
        "io/ is the HTTP, Prometheus and probe client behind core's types: no Pulumi, no CLI.",
      severity: "error",
      from: { path: "^io/" },
      to: { path: "^(components|cli|policy|index\\.ts)" },
    },
    {
      name: "policy-imports-core-only",
      comment:
        "The policy pack judges declared resources with core's rules; it never reaches the CLI or components.",
      severity: "error",
      from: { path: "^policy/" },
      to: { path: "^(components|cli|io)/" },
    },
    {
      name: "nothing-imports-cli",
      comment:
        "cli/ is a leaf: only its own modules, the bin, tests, scripts and benchmarks use it.",
      severity: "error",
      from: { path: "^(core|components|io|policy|program|app)/|^index\\.ts$" },
      to: { path: "^cli/" },
    },
    {
      name: "program-capture-stays-out-of-the-layers",
      comment:
        "program/ runs the Pulumi program in-process (its capture under mocks): it imports core/ and Pulumi; only the command, tests and scripts use it, never core/, components/, io/ or policy/.",
      severity: "error",
      from: { path: "^(core|components|io|policy)/|^index\\.ts$" },
      to: { path: "^program/" },
    },
    {
      name: "no-cycles",
      comment: "Imports point one way; a cycle makes the layers meaningless.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(bin/dist|node_modules|reports)/" },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
