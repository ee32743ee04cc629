// Rewrites, from the catalogue of config keys (core/config/configKeys.ts), the config key
// table in README.md and the config: block of Pulumi.yaml (npm run docs:config). Tests fail
// when either file differs from what the catalogue renders.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { replaceConfigKeyTable } from "../core/render/configKeyTable";
import { replacePulumiYamlConfig } from "../core/render/pulumiYamlConfig";

const root = path.resolve(__dirname, "..");
const rewrites: [string, (text: string) => string][] = [
  ["README.md", (text) => replaceConfigKeyTable(text)],
  ["Pulumi.yaml", (text) => replacePulumiYamlConfig(text)],
];
for (const [file, rewrite] of rewrites) {
  const filePath = path.join(root, file);
  writeFileSync(filePath, rewrite(readFileSync(filePath, "utf8")));
  console.log(`wrote the config keys into ${filePath}`);
}
