import { strictEqual, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigKey } from "../../../core/config/configKeys";
import {
  renderPulumiYamlConfig,
  replacePulumiYamlConfig,
} from "../../../core/render/pulumiYamlConfig";

const KEYS: ConfigKey[] = [
  { name: "environment", type: "string", description: "Which one: staging or production." },
  {
    name: "rolloutSteps",
    type: "array",
    items: "integer",
    default: [0, 50, 100],
    description: "Steps, in percent.",
  },
  { name: "threshold", type: "string", default: "1.0", description: "A decimal." },
  { name: "enabled", type: "boolean", default: false, description: "On or off." },
  { name: "approvals", type: "array", items: "string", default: [], description: "Given." },
  { name: "smtpFrom", type: "string", default: "", description: "Sender's address." },
  { name: "url", type: "string", default: "http://127.0.0.1:9090", description: "Where." },
];

describe("renderPulumiYamlConfig", () => {
  it("renders one exact entry per key: required, lists, decimals, empties, quoting", () => {
    strictEqual(
      renderPulumiYamlConfig(KEYS),
      [
        "config:",
        "  environment:",
        "    type: string",
        '    description: "Which one: staging or production."',
        "  rolloutSteps:",
        "    type: array",
        "    items:",
        "      type: integer",
        "    description: Steps, in percent.",
        "    default: [0, 50, 100]",
        "  threshold:",
        "    type: string",
        "    description: A decimal.",
        '    default: "1.0"',
        "  enabled:",
        "    type: boolean",
        "    description: On or off.",
        "    default: false",
        "  approvals:",
        "    type: array",
        "    items:",
        "      type: string",
        "    description: Given.",
        "    default: []",
        "  smtpFrom:",
        "    type: string",
        "    description: Sender's address.",
        '    default: ""',
        "  url:",
        "    type: string",
        "    description: Where.",
        "    default: http://127.0.0.1:9090",
        "",
      ].join("\n"),
    );
  });

  it("replaces only the config block, at the end or before another key, and refuses a file without one", () => {
    strictEqual(replacePulumiYamlConfig("name: x\nconfig:\n  a: 1\n", "NEW\n"), "name: x\nNEW\n");
    strictEqual(
      replacePulumiYamlConfig("name: x\nconfig:\n  a:\n    b: 1\n# note\nmain: i.ts\n", "NEW\n"),
      "name: x\nNEW\n# note\nmain: i.ts\n",
    );
    strictEqual(replacePulumiYamlConfig("config:", "NEW\n"), "NEW\n");
    throws(
      () => replacePulumiYamlConfig("name: x\n  config:\n", "NEW\n"),
      /Pulumi.yaml must contain a top-level config: block/,
    );
  });

  it("Pulumi.yaml carries the current config block (run npm run docs:config after changing a key)", () => {
    const project = readFileSync(path.resolve(__dirname, "../../../Pulumi.yaml"), "utf8");
    strictEqual(project, replacePulumiYamlConfig(project));
  });
});
