// Mutation testing of the decision code (`npm run mutation`): Stryker changes one thing at a
// time in the gate, rollout, SLO, sign-off and policy rules (a `<` for a `<=`, a removed
// condition, a different string) and runs the fast tests that cover them; a change no test
// notices (a surviving mutant) is a behaviour the suite does not pin down. The TypeScript
// checker drops mutants that do not compile. Incremental: a run tests only the mutants whose
// code or covering tests changed since the result in test/mutation/incremental.json, a
// baseline committed with the code (commit it again after a run, with the change it
// measured); `npm run mutation:full` tests every mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "mocha",
  checkers: ["typescript"],
  // The checker type-checks every mutant and is the slowest part of a run on two cores: core/
  // and policy/ only (what the mutated files and their importers there need) check two to
  // three times faster than the whole project; tests run transpile-only anyway.
  tsconfigFile: "tsconfig.mutation.json",
  mutate: [
    "core/gate/**/*.ts",
    "core/rollout/**/*.ts",
    "core/slo/**/*.ts",
    "core/signoff/**/*.ts",
    "policy/rules/**/*.ts",
    "policy/rule.ts",
  ],
  mochaOptions: {
    spec: [
      "test/core/**/*.test.ts",
      "test/policy/cases.test.ts",
      "test/policy/rule.test.ts",
      "test/policy/hostPaths.test.ts",
    ],
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
  },
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants such as a rule's message text) need the whole
  // suite per mutant: about a third of the mutants and nearly all of the time. Ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "test/mutation/incremental.json",
  reporters: ["clear-text", "json", "html", "progress"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // Two TypeScript checkers and one test runner: the checker is the bottleneck (one checker
  // held a core throughout while the runner idled), and on two cores two checkers took
  // core/rollout's 883 mutants from 552 s to 347 s with the same result for every mutant.
  concurrency: 3,
  timeoutMS: 20000,
  thresholds: { high: 90, low: 85, break: null },
  ignorePatterns: ["bin/dist", "reports", "out", ".pulumi-local", "rendered", "test/mutation"],
};
