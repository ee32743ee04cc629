import { deepStrictEqual, throws } from "node:assert/strict";
import { projectDefaults, readStackFiles, StackFileError } from "../../../core/config/stackFile";

const PROJECT = `name: genesis
runtime: nodejs
config:
  genesis:environment:
    type: string
  scrapeIntervalSeconds:
    type: integer
    default: 15
  grafanaAdminPassword:
    type: string
    default: ""
  rolloutSteps:
    type: array
    items:
      type: integer
    default: [0, 5, 10, 25, 50, 75, 100]
`;

describe("readStackFiles", () => {
  it("takes Pulumi.yaml's defaults, by key without namespace", () => {
    deepStrictEqual(projectDefaults(PROJECT), {
      scrapeIntervalSeconds: 15,
      grafanaAdminPassword: "",
      rolloutSteps: [0, 5, 10, 25, 50, 75, 100],
    });
  });

  const cases: { name: string; stack: string; expected: unknown }[] = [
    {
      name: "defaults only",
      stack: "config: {}",
      expected: {
        values: { scrapeIntervalSeconds: 15, rolloutSteps: [0, 5, 10, 25, 50, 75, 100] },
        secrets: {},
        otherKeys: {},
        stackKeys: [],
      },
    },
    {
      name: "stack values override defaults; other namespaces are kept apart for the parser",
      stack:
        "config:\n  genesis:scrapeIntervalSeconds: 30\n  genesis:environment: staging\n  aws:region: x\n  rolloutPercentage: 5\n",
      expected: {
        values: {
          scrapeIntervalSeconds: 30,
          rolloutSteps: [0, 5, 10, 25, 50, 75, 100],
          environment: "staging",
        },
        secrets: {},
        otherKeys: { "aws:region": "x", rolloutPercentage: 5 },
        stackKeys: ["scrapeIntervalSeconds", "environment"],
      },
    },
    {
      name: "an encrypted value of an unknown key is passed on for the parser to name",
      stack: "config:\n  genesis:grafanaAdminPasword:\n    secure: AAAB\n",
      expected: {
        values: {
          scrapeIntervalSeconds: 15,
          rolloutSteps: [0, 5, 10, 25, 50, 75, 100],
          grafanaAdminPasword: { secure: "AAAB" },
        },
        secrets: {},
        otherKeys: {},
        stackKeys: ["grafanaAdminPasword"],
      },
    },
    {
      name: "an encrypted secret is present; its ciphertext is not read",
      stack: "config:\n  genesis:grafanaAdminPassword:\n    secure: AAABAKz\n",
      expected: {
        values: { scrapeIntervalSeconds: 15, rolloutSteps: [0, 5, 10, 25, 50, 75, 100] },
        secrets: { grafanaAdminPassword: "encrypted" },
        otherKeys: {},
        stackKeys: ["grafanaAdminPassword"],
      },
    },
    {
      name: "a secret in plain text is marked plaintext, an empty one absent",
      stack: "config:\n  genesis:grafanaAdminPassword: hunter2\n  genesis:smtpPassword: ''\n",
      expected: {
        values: { scrapeIntervalSeconds: 15, rolloutSteps: [0, 5, 10, 25, 50, 75, 100] },
        secrets: { grafanaAdminPassword: "plaintext", smtpPassword: "absent" },
        otherKeys: {},
        stackKeys: ["grafanaAdminPassword", "smtpPassword"],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      deepStrictEqual(readStackFiles(PROJECT, c.stack, "staging"), c.expected);
    });
  }

  const errors: { name: string; stack: string; message: string }[] = [
    {
      name: "an encrypted value for a key that is not secret",
      stack: "config:\n  genesis:environment:\n    secure: AAAB\n",
      message:
        "Pulumi.staging.yaml: genesis:environment is encrypted, but it is not a secret key; set it in plain text",
    },
    {
      name: "a stack file that is not a mapping",
      stack: "- a\n- b\n",
      message: "Pulumi.staging.yaml must be a YAML mapping; got a list",
    },
  ];
  for (const c of errors) {
    it(`refuses ${c.name}`, () => {
      throws(
        () => readStackFiles(PROJECT, c.stack, "staging"),
        (e: Error) => e instanceof StackFileError && e.message === c.message,
      );
    });
  }

  it("refuses YAML it cannot parse in one line, naming the file, the line and the column", () => {
    throws(() => readStackFiles(PROJECT, "config:\n  a: b\n c: d\n", "production"), {
      name: "StackFileError",
      message:
        "Pulumi.production.yaml is not valid YAML: All mapping items must start at the same column at line 3, column 1",
    });
  });
});
