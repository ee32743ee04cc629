// Rewrites the config key table in README.md from CONFIG_KEYS (npm run docs:config).
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { replaceConfigKeyTable } from "../core/render/configKeyTable";

const readmePath = path.resolve(__dirname, "..", "README.md");
writeFileSync(readmePath, replaceConfigKeyTable(readFileSync(readmePath, "utf8")));
console.log(`updated the config key table in ${readmePath}`);
