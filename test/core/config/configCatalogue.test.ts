// The catalogue of config keys is the one place a key is declared: these check that it is
// whole (each name once, each StackConfig field filled by exactly one key, each default
// valid by its own rule). The field types are checked at compile time in stackConfig.ts.
import { deepStrictEqual, ok } from "node:assert/strict";
import { CONFIG_KEYS, SECRET_KEY_NAMES } from "../../../core/config/configKeys";
import { parseStackConfig } from "../../../core/config/stackConfig";

/** Every leaf field of a parsed config as a dotted path; lists are leaves. */
function leafFields(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) =>
    leafFields(v, prefix === "" ? k : `${prefix}.${k}`),
  );
}

const fieldsOf = (k: (typeof CONFIG_KEYS)[number]): readonly string[] =>
  typeof k.field === "string" ? [k.field] : k.field;

describe("the config key catalogue", () => {
  it("names each key once", () => {
    const names = CONFIG_KEYS.map((k) => k.name);
    deepStrictEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  it("fills every StackConfig field but namespace from exactly one key, and no other field", () => {
    const config = parseStackConfig({
      values: { environment: "staging" },
      secrets: { grafanaAdminPassword: "encrypted" },
    });
    const fields = CONFIG_KEYS.flatMap(fieldsOf);
    deepStrictEqual(
      fields.filter((f, i) => fields.indexOf(f) !== i),
      [],
    );
    deepStrictEqual(
      [...fields].sort(),
      leafFields(config)
        .filter((f) => f !== "namespace")
        .sort(),
    );
  });

  it("gives every key with a default a default its own rule accepts", () => {
    for (const k of CONFIG_KEYS) {
      if (k.secret === true || k.default === undefined) continue;
      ok(k.rule.schema.safeParse(k.default).success, `genesis:${k.name}: ${String(k.default)}`);
    }
  });

  it("puts every secret under secrets, and lists them as SECRET_KEY_NAMES", () => {
    const secrets = CONFIG_KEYS.filter((k) => k.secret === true);
    deepStrictEqual(
      secrets.map((k) => k.field),
      secrets.map((k) => `secrets.${k.name}`),
    );
    deepStrictEqual(
      SECRET_KEY_NAMES,
      secrets.map((k) => k.name),
    );
  });
});
