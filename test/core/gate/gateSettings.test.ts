import { deepStrictEqual, throws } from "node:assert/strict";
import { parseStackConfig } from "../../../core/config/stackConfig";
import { parseDurationSeconds } from "../../../core/gate/duration";
import { gateSettingsFromConfig } from "../../../core/gate/gateSettings";

describe("gateSettingsFromConfig", () => {
  const cfg = parseStackConfig({
    values: { environment: "staging", rolloutPercentage: 5, cooldownSeconds: 0 },
    secrets: { grafanaAdminPassword: "encrypted" },
  });

  it("takes every setting from the stack, with the cool-down resolved to one window", () => {
    deepStrictEqual(gateSettingsFromConfig(cfg), {
      steps: [0, 5, 10, 25, 50, 75, 100],
      allowStepSkip: false,
      cooldownSeconds: 300,
      overrideReason: "",
      errorRateThresholdPercent: 1,
      latencyP95ThresholdMs: 500,
      validationWindowSeconds: 300,
      minRequestCount: 100,
      canaryErrorMarginPercent: 0.5,
      scrapeIntervalSeconds: 15,
      appInstance: "genesis-app:8080",
      appJob: "genesis-app",
      statusLabel: "code",
      endpoints: {
        prometheusUrl: "http://127.0.0.1:9090",
        grafanaUrl: "http://127.0.0.1:3000",
        alertmanagerUrl: "http://127.0.0.1:9093",
        nodeExporterUrl: "http://127.0.0.1:9100",
        appHealthUrl: "http://127.0.0.1:8080/health",
      },
      requestTimeoutMs: 5000,
      decisionTimeoutMs: 30000,
      retries: 2,
    });
  });

  it("lets flags override endpoints and the window, ignoring unset ones", () => {
    const s = gateSettingsFromConfig(cfg, {
      prometheusUrl: "http://127.0.0.1:1",
      grafanaUrl: undefined,
      validationWindowSeconds: 60,
    });
    deepStrictEqual(
      [s.endpoints.prometheusUrl, s.endpoints.grafanaUrl, s.validationWindowSeconds],
      ["http://127.0.0.1:1", "http://127.0.0.1:3000", 60],
    );
  });
});

describe("parseDurationSeconds", () => {
  const rows: [string, number][] = [
    ["300", 300],
    ["90s", 90],
    ["5m", 300],
    ["1h30m", 5400],
    ["1d", 86400],
    [" 90s ", 90],
  ];
  for (const [text, want] of rows) {
    it(`${text} -> ${want}`, () => deepStrictEqual(parseDurationSeconds(text), want));
  }
  for (const bad of ["", "0", "5x", "m5", "-5s", "5m 3s", "0s", "0m0s", "1e3"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      throws(() => parseDurationSeconds(bad, "--window"), {
        message: `--window must be a positive duration such as 300, 90s, 5m or 1h30m; got ${JSON.stringify(bad)}`,
      });
    });
  }
  it("names the value a duration by default", () => {
    throws(() => parseDurationSeconds("soon"), {
      message: 'duration must be a positive duration such as 300, 90s, 5m or 1h30m; got "soon"',
    });
  });
});
