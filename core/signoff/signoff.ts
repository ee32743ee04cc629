/**
 * Final sign-off (Gate 3) with Stage 5's final validation: the stack has been at 100 % for
 * the required time (from config: `genesis:signoffHours`, 48 in production by default) with
 * every SLO rule held over that whole period; no performance regression against the stable
 * version's baseline (core/signoff/finalValidation.ts); the full suite's pass rate; the final
 * security scan; and the approvals still missing (deployment lead, on-call, security lead)
 * are listed. Pure: the queries are built here, their answers, the files and the clock come in.
 */
import { SignoffRole, StackConfig } from "../config/stackConfig";
import { QueryOutcome } from "../gate/prometheusResponse";
import { CheckResult, GateState } from "../gate/types";
import { SloAlertName, SloRule, sustainedBreachQuery } from "../slo/sloRules";
import {
  evaluateRegression,
  evaluateSecurityReport,
  evaluateTestResults,
  InputFile,
  RegressionInput,
} from "./finalValidation";

/** The SLO rules final sign-off requires to have held (the health rule is judged by `up`). */
export const SIGNOFF_RULES: readonly SloAlertName[] = Object.freeze([
  "GenesisErrorRateHigh",
  "GenesisErrorRateSevere",
  "GenesisLatencyP95High",
  "GenesisHealthCheckFailing",
]);

/**
 * Per rule, one instant query: the highest value over the last `periodSeconds` (at the
 * evaluation interval) of the rule's sustained-breach indicator, so 0 means the alert's
 * condition never held for its `for` duration in the period and 1 means it did.
 */
export function signoffQueries(
  rules: readonly SloRule[],
  periodSeconds: number,
  stepSeconds: number,
): Readonly<Partial<Record<SloAlertName, string>>> {
  const out: Partial<Record<SloAlertName, string>> = {};
  for (const rule of rules) {
    if (!SIGNOFF_RULES.includes(rule.alert)) continue;
    out[rule.alert] =
      `max(max_over_time((${sustainedBreachQuery(rule, stepSeconds)})[${periodSeconds}s:${stepSeconds}s]))`;
  }
  return out;
}

/** A role whose approval is missing, with the person stack config names for it. */
export interface MissingApproval {
  /** The role. */
  readonly role: SignoffRole;
  /** Who holds it, or empty when stack config names nobody. */
  readonly person: string;
}

/** The sign-off's verdict. */
export interface SignoffResult {
  /** pass: time and SLOs held and every approval given; fail; inconclusive: no data. */
  readonly verdict: "pass" | "fail" | "inconclusive";
  /**
   * The checks: at 100 %, time at 100 %, each SLO rule held, P95 and error rate against the
   * baseline, the suite's pass rate and the security scan.
   */
  readonly checks: readonly CheckResult[];
  /** Approvals still missing. */
  readonly missingApprovals: readonly MissingApproval[];
  /**
   * The two tiers the rollout was judged by, from stack config: the objectives the daily
   * update reports against and the rollback triggers.
   */
  readonly tiers: {
    /** Error rate objective and trigger, in percent. */
    readonly errorRatePercent: { readonly objective: number; readonly trigger: number };
    /** P95 latency objective and trigger, in milliseconds. */
    readonly latencyP95Ms: { readonly objective: number; readonly trigger: number };
  };
}

/** The input of {@link evaluateSignoff}. */
export interface SignoffInput {
  /** The stack being signed off (the security scan must be of it). */
  readonly stack: string;
  /** The stack config. */
  readonly config: StackConfig;
  /** The gate's state; undefined when it could not be read. */
  readonly gate?: GateState;
  /** Why it could not be read. */
  readonly gateUnavailable?: string;
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** The answers to {@link signoffQueries}, by rule. */
  readonly held: Readonly<Partial<Record<SloAlertName, QueryOutcome>>>;
  /** The sign-off period's figures beside the baseline's; absent: not measured. */
  readonly regression?: RegressionInput;
  /** The pipeline's mocha JSON report (`--test-results`); absent: not given. */
  readonly testResults?: InputFile;
  /** The JSON of `genesis security-check --json` (`--security-report`); absent: not given. */
  readonly securityReport?: InputFile;
}

const ROLE_PERSON: Readonly<Record<SignoffRole, (c: StackConfig) => string>> = {
  "deployment-lead": (c) => c.roles.deploymentLead,
  "on-call": (c) => c.roles.onCall,
  "security-lead": (c) => c.roles.securityLead,
};

const check = (
  name: string,
  value: string,
  threshold: string,
  verdict: CheckResult["verdict"],
  reason: string,
): CheckResult => ({ name, value, threshold, verdict, reason });

/** Judges final sign-off. Anything that cannot be decided is inconclusive, never a pass. */
export function evaluateSignoff(input: SignoffInput): SignoffResult {
  const { config: c, gate, nowMs } = input;
  const requiredHours = c.signoff.requiredHours;
  const checks: CheckResult[] = [];
  if (gate === undefined) {
    checks.push(
      check(
        "at 100%",
        "unknown",
        "100% live",
        "inconclusive",
        `the gate's state is unknown: ${input.gateUnavailable ?? "no stack outputs"}`,
      ),
    );
  } else if (gate.percentage !== 100 || c.rollout.percentage !== 100) {
    checks.push(
      check(
        "at 100%",
        `${gate.percentage}% live, ${c.rollout.percentage}% configured`,
        "100% live",
        "fail",
        `the stack is at ${gate.percentage}% (configured ${c.rollout.percentage}%), not 100%`,
      ),
    );
  } else {
    checks.push(check("at 100%", "100% live", "100% live", "pass", "the stack is at 100%"));
  }
  if (gate !== undefined && gate.percentage === 100) {
    const hours = (nowMs - gate.liveSinceMs) / 3600_000;
    const shown = `${hours.toFixed(1)} h`;
    checks.push(
      hours >= requiredHours
        ? check(
            "time at 100%",
            shown,
            `>= ${requiredHours} h`,
            "pass",
            `at 100% since ${new Date(gate.liveSinceMs).toISOString()}: ${shown} >= ${requiredHours} h`,
          )
        : check(
            "time at 100%",
            shown,
            `>= ${requiredHours} h`,
            "fail",
            `at 100% for ${shown} < ${requiredHours} h; ${(requiredHours - hours).toFixed(1)} h left (from ${new Date(gate.liveSinceMs + requiredHours * 3600_000).toISOString()})`,
          ),
    );
  }
  for (const alert of SIGNOFF_RULES) {
    const name = `${alert} held`;
    const threshold = `never fired in the last ${requiredHours} h`;
    const o = input.held[alert];
    if (o === undefined) {
      checks.push(
        check(name, "not measured", threshold, "inconclusive", `${alert} was not measured`),
      );
    } else if (o.kind === "error") {
      checks.push(check(name, "error", threshold, "error", `${alert} query failed: ${o.reason}`));
    } else if (o.kind === "empty" || !Number.isFinite(o.samples[0].value)) {
      checks.push(
        check(
          name,
          "no data",
          threshold,
          "inconclusive",
          `no data for ${alert} over the last ${requiredHours} h`,
        ),
      );
    } else if (o.samples[0].value > 0) {
      checks.push(
        check(
          name,
          "fired",
          threshold,
          "fail",
          `${alert}'s condition held for its for duration within the last ${requiredHours} h`,
        ),
      );
    } else {
      checks.push(
        check(
          name,
          "held",
          threshold,
          "pass",
          `${alert} never fired in the last ${requiredHours} h`,
        ),
      );
    }
  }
  if (input.regression !== undefined) checks.push(...evaluateRegression(input.regression));
  else {
    for (const name of ["p95 vs baseline", "error rate vs baseline"]) {
      checks.push(
        check(
          name,
          "not measured",
          "<= baseline + tolerance",
          "inconclusive",
          "the sign-off period was not compared with a baseline",
        ),
      );
    }
  }
  checks.push(evaluateTestResults(input.testResults));
  checks.push(evaluateSecurityReport(input.securityReport, input.stack));
  const missingApprovals = (["deployment-lead", "on-call", "security-lead"] as const)
    .filter((r) => !c.signoff.approvals.includes(r))
    .map((role) => ({ role, person: ROLE_PERSON[role](c) }));
  const verdict = checks.some((x) => x.verdict === "fail")
    ? "fail"
    : checks.some((x) => x.verdict !== "pass")
      ? "inconclusive"
      : missingApprovals.length > 0
        ? "fail"
        : "pass";
  const tiers = {
    errorRatePercent: {
      objective: c.slo.errorRateObjectivePercent,
      trigger: c.slo.errorRateThresholdPercent,
    },
    latencyP95Ms: { objective: c.slo.latencyP95ObjectiveMs, trigger: c.slo.latencyP95ThresholdMs },
  };
  return { verdict, checks, missingApprovals, tiers };
}

/** The sign-off as text: the verdict, the checks table, the missing approvals. */
export function renderSignoff(stack: string, r: SignoffResult, table: string): string {
  const { errorRatePercent: e, latencyP95Ms: l } = r.tiers;
  const lines = [
    `final sign-off of ${stack}: ${r.verdict.toUpperCase()}`,
    `objectives: error rate < ${e.objective}%, P95 < ${l.objective} ms; rollback triggers: error rate < ${e.trigger}%, P95 < ${l.trigger} ms`,
    table,
  ];
  if (r.missingApprovals.length === 0) lines.push("approvals: all given");
  else {
    lines.push("approvals still missing:");
    for (const m of r.missingApprovals) {
      lines.push(
        `- ${m.role}: ${m.person === "" ? "(nobody named in stack config)" : m.person} (add ${m.role} to genesis:signoffApprovals)`,
      );
    }
  }
  return lines.join("\n");
}
