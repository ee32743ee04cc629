import { deepStrictEqual } from "node:assert/strict";
import {
  ActiveAlertsOutcome,
  GATE_ALERT_NAMES,
  parseAlertmanagerAlerts,
} from "../../../core/gate/gateAlerts";
import { RENDERED_ALERT_NAMES } from "../../../core/render/prometheusRules";

describe("GATE_ALERT_NAMES", () => {
  it("is every alert the stack's rule files define, in the same order", () => {
    deepStrictEqual([...GATE_ALERT_NAMES], [...RENDERED_ALERT_NAMES]);
  });
});

describe("parseAlertmanagerAlerts", () => {
  const alert = (alertname: unknown, startsAt?: unknown) => ({
    labels: { alertname, severity: "critical" },
    ...(startsAt === undefined ? {} : { startsAt }),
    status: { state: "active", silencedBy: [], inhibitedBy: [] },
  });
  const rows: [string, number, unknown, ActiveAlertsOutcome][] = [
    ["no alerts", 200, [], { kind: "alerts", alerts: [] }],
    [
      "two alerts, one without startsAt",
      200,
      [alert("GenesisErrorRateHigh", "2026-11-28T12:00:00.000Z"), alert("Watchdog")],
      {
        kind: "alerts",
        alerts: [
          { name: "GenesisErrorRateHigh", startsAt: "2026-11-28T12:00:00.000Z" },
          { name: "Watchdog", startsAt: "" },
        ],
      },
    ],
    [
      "not ready",
      503,
      "not ready",
      { kind: "error", reason: "Alertmanager /api/v2/alerts answered HTTP 503; expected 200" },
    ],
    [
      "an HTML page",
      200,
      "<html><body>Login</body></html>",
      {
        kind: "error",
        reason:
          'Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: "<html><body>Login</body></html>"',
      },
    ],
    [
      "an object instead of the list",
      200,
      { data: [] },
      {
        kind: "error",
        reason:
          'Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: "{\\"data\\":[]}"',
      },
    ],
    [
      "an alert without a name",
      200,
      [alert("GenesisErrorRateHigh"), { labels: {} }],
      {
        kind: "error",
        reason:
          'Alertmanager /api/v2/alerts answered an alert (#2) without a string labels.alertname: "{\\"labels\\":{}}"',
      },
    ],
    [
      "an alert that is null",
      200,
      [null],
      {
        kind: "error",
        reason:
          'Alertmanager /api/v2/alerts answered an alert (#1) without a string labels.alertname: "null"',
      },
    ],
    [
      "an empty answer",
      200,
      "",
      {
        kind: "error",
        reason:
          "Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: an empty body",
      },
    ],
    [
      "a text answer is quoted trimmed, its runs of white space as one space",
      200,
      "\n  Login   required \t\n",
      {
        kind: "error",
        reason:
          'Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: "Login required"',
      },
    ],
    [
      "an answer of 80 characters is quoted whole",
      200,
      "x".repeat(80),
      {
        kind: "error",
        reason: `Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: "${"x".repeat(80)}"`,
      },
    ],
    [
      "a longer answer is cut at 80 characters",
      200,
      "y".repeat(81),
      {
        kind: "error",
        reason: `Alertmanager /api/v2/alerts answered HTTP 200 with a body that is not a JSON array: "${"y".repeat(80)}..."`,
      },
    ],
  ];
  for (const [name, status, body, expected] of rows) {
    it(name, () => deepStrictEqual(parseAlertmanagerAlerts(status, body), expected));
  }
});
