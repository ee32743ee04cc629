#!/usr/bin/env node
// The `genesis` operator command. Runs the TypeScript sources through ts-node (transpile
// only; `npm run check` type-checks them), so the command and the providers share one code.
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
require("../cli/main")
  .main(process.argv)
  .then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(70);
    },
  );
