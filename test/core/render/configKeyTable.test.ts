import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigKey } from "../../../core/config/configKeys";
import {
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  renderConfigKeyTable,
  replaceConfigKeyTable,
} from "../../../core/render/configKeyTable";

const KEYS: ConfigKey[] = [
  { name: "environment", type: "string", description: "staging or production." },
  {
    name: "rolloutSteps",
    type: "array",
    items: "integer",
    default: [0, 50, 100],
    description: "Steps.",
  },
  { name: "smtpFrom", type: "string", default: "", description: "Sender | address." },
  { name: "grafanaAdminPassword", type: "string", default: "", description: "Password." },
];

describe("renderConfigKeyTable", () => {
  it("renders one exact row per key: required, lists, unset, secrets, escaped pipes", () => {
    strictEqual(
      renderConfigKeyTable(KEYS),
      [
        CONFIG_TABLE_START,
        "| Key | Type | Default | Meaning |",
        "| --- | --- | --- | --- |",
        "| `genesis:environment` | string | required | staging or production. |",
        "| `genesis:rolloutSteps` | array | `0,50,100` | Steps. |",
        "| `genesis:smtpFrom` | string | unset | Sender \\| address. |",
        "| `genesis:grafanaAdminPassword` | string | secret, set with `--secret` | Password. |",
        CONFIG_TABLE_END,
      ].join("\n"),
    );
  });

  it("replaces only the generated block and refuses a README without markers", () => {
    const readme = `# T\n\n${CONFIG_TABLE_START}\nold\n${CONFIG_TABLE_END}\n\nafter\n`;
    strictEqual(replaceConfigKeyTable(readme, "NEW"), "# T\n\nNEW\n\nafter\n");
    throws(() => replaceConfigKeyTable("# no table\n", "NEW"), /README.md must contain/);
  });

  it("README.md carries the current table (run npm run docs:config after changing a key)", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const block = readme.slice(
      readme.indexOf(CONFIG_TABLE_START),
      readme.indexOf(CONFIG_TABLE_END) + CONFIG_TABLE_END.length,
    );
    // Prettier pads the cells; compare cell by cell.
    const cells = (table: string) =>
      table
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) =>
          line
            .split(/(?<!\\)\|/)
            .map((c) => c.trim())
            .map((c) => (/^-+$/.test(c) ? "---" : c)),
        );
    deepStrictEqual(cells(block), cells(renderConfigKeyTable()));
  });
});
