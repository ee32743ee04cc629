/**
 * Renders Pulumi.yaml's `config:` block from {@link CONFIG_KEYS}, so the project file
 * declares exactly the keys, types, defaults and descriptions the program reads (written by
 * `npm run docs:config`; a test fails when the file differs). Pure.
 */
import * as YAML from "yaml";
import { CONFIG_KEYS, ConfigKey } from "../config/configKeys";

/** One value as a YAML scalar or a one-line flow list: quoted only where YAML needs it. */
function scalar(value: unknown): string {
  return YAML.stringify(value, {
    lineWidth: 0,
    collectionStyle: Array.isArray(value) ? "flow" : "block",
    flowCollectionPadding: false,
  }).trimEnd();
}

/**
 * The `config:` block, one entry per key in the catalogue's order: type, the item type of
 * a list, description, then the default (absent for a required key). Ends with a newline.
 */
export function renderPulumiYamlConfig(keys: readonly ConfigKey[] = CONFIG_KEYS): string {
  const lines = ["config:"];
  for (const k of keys) {
    lines.push(`  ${k.name}:`, `    type: ${k.type}`);
    if (k.items !== undefined) lines.push("    items:", `      type: ${k.items}`);
    lines.push(`    description: ${scalar(k.description)}`);
    if (k.default !== undefined) lines.push(`    default: ${scalar(k.default)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Replaces the top-level `config:` block of `projectYaml` (up to the next top-level line or
 * the end) with `block`; throws when there is none, so a broken file is never rewritten.
 */
export function replacePulumiYamlConfig(
  projectYaml: string,
  block: string = renderPulumiYamlConfig(),
): string {
  const start = projectYaml.search(/^config:[ \t]*$/m);
  if (start < 0) throw new Error("Pulumi.yaml must contain a top-level config: block");
  const afterHeader = projectYaml.indexOf("\n", start);
  const next = afterHeader < 0 ? -1 : projectYaml.slice(afterHeader + 1).search(/^\S/m);
  const end = next < 0 ? projectYaml.length : afterHeader + 1 + next;
  return projectYaml.slice(0, start) + block + projectYaml.slice(end);
}
