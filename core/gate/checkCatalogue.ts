/**
 * The catalogue of the gate's checks: every check the gate, the bake, the replay and the
 * CLI's tables know, as data. A check's name is written here and nowhere else; code that
 * must recognise a check (the bake's breach list, the window a bake measures, the stage-live
 * check the CLI rewords) asks this catalogue, never compares with a string of its own.
 *
 * Each entry says what the check measures, which of the gate's Prometheus measures it reads
 * (the query grouping sends exactly these), how the value is compared and against which
 * setting, and what its verdict is when there is no data. The evaluators in `checks.ts`
 * produce the results; their names and no-data verdicts come from here.
 */
import type { GateMeasure } from "./measureGroups";
import type { CheckVerdict, GateSettings } from "./types";

/** Where a check sits in a decision. */
export type CheckGroup =
  /** A component answers and says it is healthy (probed live; replayed from `up`). */
  | "health"
  /** The stage and its data over the validation window (read from Prometheus). */
  | "window"
  /** Judged by the bake on the SLO rules' short window, between the window's checks. */
  | "fast path";

/** One check, as data. */
export interface CheckSpec {
  /** The name every table, record and reason shows. */
  readonly name: string;
  /** Where it sits in a decision. */
  readonly group: CheckGroup;
  /** What it measures, in words. */
  readonly measure: string;
  /** The gate's Prometheus measures it reads (none for a live probe). */
  readonly measures: readonly GateMeasure[];
  /** How the measured value is compared, in words. */
  readonly comparison: string;
  /** The setting its threshold comes from, or `fixed` when the contract fixes it. */
  readonly threshold: keyof GateSettings | "fixed";
  /** Its verdict when there is nothing to judge (no series, no answer yet). */
  readonly noData: CheckVerdict;
  /** Whether failing it at the window's end is a breach (the bake rolls the stage back). */
  readonly breach: boolean;
  /** Whether the bake measures it over its window (the stage's age is the bake's own clock). */
  readonly inBakeWindow: boolean;
  /** Whether it exists only while traffic is split between a canary and a stable variant. */
  readonly needsStable: boolean;
}

const health = (name: string, measure: string, comparison: string): CheckSpec => ({
  name,
  group: "health",
  measure,
  measures: [],
  comparison,
  threshold: "fixed",
  noData: "error",
  breach: false,
  inBakeWindow: false,
  needsStable: false,
});

/** Every check, by id, in the order a decision lists them. */
export const CHECKS = {
  prometheusHealth: health("prometheus health", "Prometheus /-/healthy", 'HTTP 200, "Healthy"'),
  grafanaHealth: health("grafana health", "Grafana /api/health", 'HTTP 200, database "ok"'),
  alertmanagerHealth: health("alertmanager health", "Alertmanager /-/ready", 'HTTP 200, "OK"'),
  nodeExporterHealth: health(
    "node-exporter health",
    "Node Exporter /metrics",
    "HTTP 200 with node_exporter_build_info",
  ),
  appHealth: health("app health", "the application's health URL", "HTTP 2xx, no unhealthy status"),
  stageLive: {
    name: "stage live",
    group: "window",
    measure: "how long the live stage has been live",
    measures: [],
    comparison: ">= the validation window",
    threshold: "validationWindowSeconds",
    noData: "inconclusive",
    breach: false,
    inBakeWindow: false,
    needsStable: false,
  },
  dataFreshness: {
    name: "data freshness",
    group: "window",
    measure: "the application's scrape target: up and the age of its last scrape",
    measures: ["up", "scrapeAgeSeconds"],
    comparison: "up = 1 and last scrape <= two scrape intervals ago",
    threshold: "scrapeIntervalSeconds",
    noData: "inconclusive",
    breach: false,
    inBakeWindow: true,
    needsStable: false,
  },
  scrapesInWindow: {
    name: "scrapes in window",
    group: "window",
    measure: "the application's scrapes over the window, failed ones among them",
    measures: ["scrapesInWindow", "failedScrapesInWindow", "lastFailedScrapeSeconds"],
    comparison: "no failed scrape",
    threshold: "validationWindowSeconds",
    noData: "inconclusive",
    breach: false,
    inBakeWindow: true,
    needsStable: false,
  },
  alerts: {
    name: "alerts",
    group: "window",
    measure: "alerts firing now (Alertmanager) and fired over the window (ALERTS)",
    measures: ["alertsFiredInWindow"],
    comparison: "none firing, none fired",
    threshold: "validationWindowSeconds",
    noData: "error",
    breach: false,
    inBakeWindow: true,
    needsStable: false,
  },
  requestCount: {
    name: "request count",
    group: "window",
    measure: "requests over the window (the canary's when traffic is split)",
    measures: ["requests"],
    comparison: ">= the minimum",
    threshold: "minRequestCount",
    noData: "inconclusive",
    breach: false,
    inBakeWindow: true,
    needsStable: false,
  },
  errorRate: {
    name: "error rate",
    group: "window",
    measure: "5xx share of requests over the window",
    measures: ["errorRatio", "requests", "statusLabelSeries"],
    comparison: "< the threshold",
    threshold: "errorRateThresholdPercent",
    noData: "inconclusive",
    breach: true,
    inBakeWindow: true,
    needsStable: false,
  },
  p95Latency: {
    name: "p95 latency",
    group: "window",
    measure: "95th percentile latency over the window, and the share slower than the threshold",
    measures: ["latencyP95Seconds", "latencyBuckets"],
    comparison: "< the threshold, <= 5 % slower than it",
    threshold: "latencyP95ThresholdMs",
    noData: "inconclusive",
    breach: true,
    inBakeWindow: true,
    needsStable: false,
  },
  canaryVsStable: {
    name: "canary vs stable",
    group: "window",
    measure: "the canary's error rate minus the stable variant's",
    measures: ["errorRatio", "requests"],
    comparison: "<= the margin",
    threshold: "canaryErrorMarginPercent",
    noData: "inconclusive",
    breach: true,
    inBakeWindow: true,
    needsStable: true,
  },
  severeErrorRate: {
    name: "severe error rate",
    group: "fast path",
    measure: "5xx share over the SLO rules' short window",
    measures: [],
    comparison: "below the severe rule's threshold for its duration",
    threshold: "errorRateThresholdPercent",
    noData: "inconclusive",
    breach: true,
    inBakeWindow: false,
    needsStable: false,
  },
} as const satisfies Readonly<Record<string, CheckSpec>>;

/** A check's id in {@link CHECKS}. */
export type CheckId = keyof typeof CHECKS;

/** Every check in the catalogue's order. */
export const ALL_CHECKS: readonly CheckSpec[] = Object.freeze(Object.values(CHECKS));

/**
 * The catalogue entry of a result named `name`; undefined for a name it does not hold. A
 * plain search, not a Map: the gate's provider is serialized with what it calls, and a
 * serialized Map does not survive the trip.
 */
export function checkSpec(name: string): CheckSpec | undefined {
  return ALL_CHECKS.find((c) => c.name === name);
}

/** Whether a result named `name` is the check `id`. */
export function isCheck(name: string, id: CheckId): boolean {
  return name === CHECKS[id].name;
}

/** The names of the checks in `group`, in the catalogue's order. */
export function checkNames(group: CheckGroup): readonly string[] {
  return ALL_CHECKS.filter((c) => c.group === group).map((c) => c.name);
}

/** Every Prometheus measure some check reads, each once, in the catalogue's order. */
export function measuresRead(): readonly GateMeasure[] {
  return [...new Set(ALL_CHECKS.flatMap((c) => c.measures))];
}
