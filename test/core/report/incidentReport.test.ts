import { strictEqual } from "node:assert/strict";
import {
  incidentFileName,
  IncidentFacts,
  renderIncidentReport,
} from "../../../core/report/incidentReport";

const DETECTED = Date.parse("2026-03-02T10:00:00Z");
const FACTS: IncidentFacts = {
  stack: "production",
  environment: "production",
  breach: {
    check: "error rate",
    value: "1.20%",
    threshold: "< 1.00%",
    reason: "canary error rate 1.20% >= threshold 1.00% over the validation window",
    detectedMs: DETECTED,
    percentage: 25,
  },
  startedMs: DETECTED,
  fromPercentage: 25,
  toPercentage: 10,
  completedMs: DETECTED + 42_000,
  errorRateThresholdPercent: 1,
  latencyP95ThresholdMs: 500,
  roles: { deploymentLead: "lead@example.org", onCall: "oncall@example.org", securityLead: "" },
};

describe("incident report", () => {
  it("states detection, stage, the breached check, the rollback and the timeline headings", () => {
    strictEqual(
      renderIncidentReport(FACTS),
      `# Incident: rollback of production from 25% to 10%

- Environment: production
- Detected: 2026-03-02T10:00:00.000Z
- Stage: 25%
- Breached check: error rate: value 1.20%, threshold < 1.00%
- Why: canary error rate 1.20% >= threshold 1.00% over the validation window
- SLO thresholds: error rate < 1.00%, P95 latency < 500 ms
- Rollback target: 10%
- Rollback completed: 2026-03-02T10:00:42.000Z (42 s after detection)

## Contacts

- Deployment lead: lead@example.org
- On-call: oncall@example.org
- Security lead: (not set in stack config)

## Timeline

### T+0 (2026-03-02T10:00:00.000Z)

- Breach of error rate detected at stage 25%; rollback to 10% started.
- Rollback to 10% completed at 2026-03-02T10:00:42.000Z.

### T+5 min (2026-03-02T10:05:00.000Z)

- Confirm the rollback holds: genesis health and the error rate back under threshold.

### T+15 min (2026-03-02T10:15:00.000Z)

- First update to stakeholders: impact, current state, next update time.

### T+1 h (2026-03-02T11:00:00.000Z)

- Hourly update until resolved.

### T+2 h (2026-03-02T12:00:00.000Z)

- Hourly update until resolved.

### T+3 h (2026-03-02T13:00:00.000Z)

- Hourly update until resolved.

### T+24 h post-incident (2026-03-03T10:00:00.000Z)

- Post-incident review: root cause, what the gate saw, actions to take.
`,
    );
  });

  it("says plainly when the rollback did not complete, and names a manual rollback's reason", () => {
    const text = renderIncidentReport({
      ...FACTS,
      breach: undefined,
      manualReason: "customer reports",
      completedMs: undefined,
      rollbackError: "pulumi up failed: engine gone",
    });
    strictEqual(
      text
        .split("\n")
        .filter((l) => l.startsWith("- Breached") || l.startsWith("- Rollback completed"))
        .join("\n"),
      "- Breached check: none (rollback requested by an operator: customer reports)\n- Rollback completed: NO: pulumi up failed: engine gone; the stack config asks for 10%: run pulumi up --stack production",
    );
  });

  it("names the file after the stack and the detection time", () => {
    strictEqual(
      incidentFileName("production", DETECTED),
      "incident-production-2026-03-02T10-00-00-000Z.md",
    );
  });
});
