import { deepStrictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { CONFIG_KEYS } from "../../../core/config/configKeys";

describe("Pulumi.yaml config block", () => {
  it("mirrors CONFIG_KEYS exactly: names, order, types, descriptions and defaults", () => {
    const project = YAML.parse(
      readFileSync(path.resolve(__dirname, "../../../Pulumi.yaml"), "utf8"),
    ) as { config: Record<string, Record<string, unknown>> };
    const expected = Object.fromEntries(
      CONFIG_KEYS.map((k) => [
        k.name,
        {
          type: k.type,
          ...(k.items !== undefined ? { items: { type: k.items } } : {}),
          description: k.description,
          ...(k.default !== undefined ? { default: k.default } : {}),
        },
      ]),
    );
    deepStrictEqual(Object.keys(project.config), Object.keys(expected));
    deepStrictEqual(project.config, expected);
  });
});
