/**
 * The shared vocabulary of rollout gates: checks with four-valued verdicts, the settings a
 * gate judges by, its state and the decision records it keeps. Pure types, no I/O.
 */

/** A check's verdict: passed, failed, could not be judged on the data, or could not be run. */
export type CheckVerdict = "pass" | "fail" | "inconclusive" | "error";

/** One check of a gate decision, as the decision record and the failure table show it. */
export interface CheckResult {
  /** What was checked, such as `error rate` or `prometheus health`. */
  readonly name: string;
  /** The measured value as text (`2.00%`, `620 ms`, `unreachable`). */
  readonly value: string;
  /** What would pass, as text (`< 1.00%`). */
  readonly threshold: string;
  /** The verdict. */
  readonly verdict: CheckVerdict;
  /** Why, in one sentence with the numbers: `error rate 2.00% >= threshold 1.00%`. */
  readonly reason: string;
}

/** The overall verdict of an evaluation: error and inconclusive checks make it inconclusive. */
export type GateVerdict = "pass" | "fail" | "inconclusive";

/** Where the gate reaches each component it checks. */
export interface GateEndpoints {
  /** Prometheus base URL, such as `http://127.0.0.1:9090`. */
  readonly prometheusUrl: string;
  /** Grafana base URL. */
  readonly grafanaUrl: string;
  /** Alertmanager base URL. */
  readonly alertmanagerUrl: string;
  /** Node Exporter base URL. */
  readonly nodeExporterUrl: string;
  /** The application's full health URL. */
  readonly appHealthUrl: string;
}

/**
 * Everything a gate judges by: plain data, so it can travel as the dynamic resource's inputs
 * and reach the provider host unchanged.
 */
export interface GateSettings {
  /** The rollout steps in percent, strictly ascending from 0 to 100. */
  readonly steps: readonly number[];
  /** Whether a promotion may jump over steps. */
  readonly allowStepSkip: boolean;
  /** Wait before retrying a blocked or rolled-back step, in seconds (already resolved). */
  readonly cooldownSeconds: number;
  /** A reason to skip the cool-down; empty when none. */
  readonly overrideReason: string;
  /** Highest error rate (5xx / all) in percent; the measured rate must be below it. */
  readonly errorRateThresholdPercent: number;
  /** Highest P95 latency in milliseconds; the measured P95 must be below it. */
  readonly latencyP95ThresholdMs: number;
  /** How long a stage must be live and healthy before promotion, in seconds. */
  readonly validationWindowSeconds: number;
  /** Fewest requests in the window to judge. */
  readonly minRequestCount: number;
  /** How far the canary's error rate may exceed the stable one's, in percentage points. */
  readonly canaryErrorMarginPercent: number;
  /** Prometheus's scrape interval in seconds; data older than two of them is stale. */
  readonly scrapeIntervalSeconds: number;
  /** The `instance` label of the application's scrape target (host:port). */
  readonly appInstance: string;
  /** The `job` label of the application's scrape target; series are selected by both. */
  readonly appJob: string;
  /** The label of `http_requests_total` that carries the HTTP status code. */
  readonly statusLabel: string;
  /** Where the components are. */
  readonly endpoints: GateEndpoints;
  /**
   * Deadline of one HTTP request in milliseconds: connect, headers and the whole body. A
   * request still running then is aborted and its check is an error naming the deadline.
   */
  readonly requestTimeoutMs: number;
  /**
   * Deadline of a whole decision in milliseconds, retries included: every request still
   * running then is aborted, and the checks it fed are errors (the gate blocks).
   */
  readonly decisionTimeoutMs: number;
  /** Retries of a failed HTTP request (transport errors and 5xx only). */
  readonly retries: number;
}

/** What a decision did. */
export type DecisionKind = "initial" | "promotion" | "blocked" | "rollback" | "no-change";

/** The JSON record of one gate decision. */
export interface DecisionRecord {
  /** When, as an ISO 8601 timestamp. */
  readonly time: string;
  /** The percentage live before the decision. */
  readonly from: number;
  /** The percentage asked for. */
  readonly to: number;
  /** What the gate did. */
  readonly decision: DecisionKind;
  /** Why, in one sentence. */
  readonly reason: string;
  /** Every check evaluated for this decision (none for rollbacks and cool-down blocks). */
  readonly checks: readonly CheckResult[];
  /** The operator's override reason, when one was used to skip a cool-down. */
  readonly overrideReason?: string;
}

/** A step that may not be retried before a time. */
export interface Cooldown {
  /** The percentage that may not be promoted to. */
  readonly percentage: number;
  /** Until when, in milliseconds since the epoch. */
  readonly untilMs: number;
  /** What started it. */
  readonly cause: "blocked" | "rollback";
}

/** The state a gate keeps between deployments. */
export interface GateState {
  /** The percentage live now. */
  readonly percentage: number;
  /** When it went live, in milliseconds since the epoch. */
  readonly liveSinceMs: number;
  /** The checks of the last evaluation. */
  readonly lastVerdicts: readonly CheckResult[];
  /** The most recent decision records, oldest first, at most {@link MAX_DECISION_RECORDS}. */
  readonly records: readonly DecisionRecord[];
  /** The cool-down in force, if any. */
  readonly cooldown?: Cooldown;
  /** The percentage the last rollback came from, if the last change was a rollback. */
  readonly rolledBackFrom?: number;
}

/** How many decision records a gate keeps. */
export const MAX_DECISION_RECORDS = 20;
