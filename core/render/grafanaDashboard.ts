/**
 * Renders the rollout dashboard (Grafana dashboard JSON): the rollout stage, the error rate
 * and P95 latency against their thresholds (the same recorded series the alerts read), the
 * monitoring stack's health as N of its targets, and annotations for each promotion, rollback
 * and firing rollout alert. Every query names the provisioned datasource by its fixed uid.
 */
import { StackConfig } from "../config/stackConfig";
import { MONITORING_SERVICE_NAMES, MONITORING_SERVICES } from "../monitoring/services";
import {
  errorRatioThreshold,
  latencyP95ThresholdSeconds,
  SLO_RECORDS,
  severeErrorRatioThreshold,
} from "../slo/sloRules";
import { PROMETHEUS_DATASOURCE_UID } from "./grafanaDatasource";
import { CANARY_SHARE_RECORD, ROLLOUT_STAGE_RECORD } from "./prometheusRules";

/** The dashboard's fixed uid (its URL is /d/genesis-rollout). */
export const ROLLOUT_DASHBOARD_UID = "genesis-rollout";

/** The dashboard's file name in the dashboards directory. */
export const ROLLOUT_DASHBOARD_FILE = "genesis-rollout.json";

/** The stage served now, as one label-less series. */
const STAGE = `max(${ROLLOUT_STAGE_RECORD})`;
/** The stage served a minute ago: a change between the two is a promotion or a rollback. */
const STAGE_BEFORE = `max(${ROLLOUT_STAGE_RECORD} offset 1m)`;

const DATASOURCE = Object.freeze({ type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID });

interface Target {
  readonly expr: string;
  readonly legendFormat: string;
}

/** Renders the rollout dashboard for `config` as JSON text. */
export function renderRolloutDashboard(config: StackConfig): string {
  const s = config.monitoring.scrapeIntervalSeconds;
  const jobs = [
    ...MONITORING_SERVICE_NAMES.map((n) => MONITORING_SERVICES[n].job),
    config.app.metricsJob,
  ];
  const jobMatcher = `job=~"${jobs.join("|")}"`;
  let nextId = 1;
  const targets = (list: readonly Target[]) =>
    list.map((t, i) => ({
      datasource: DATASOURCE,
      refId: String.fromCharCode(65 + i),
      expr: t.expr,
      legendFormat: t.legendFormat,
      range: true,
      instant: false,
    }));
  const panel = (
    title: string,
    type: "timeseries" | "stat",
    grid: { x: number; y: number; w: number; h: number },
    list: readonly Target[],
    fieldConfig: Record<string, unknown>,
    description: string,
  ) => ({
    id: nextId++,
    type,
    title,
    description,
    datasource: DATASOURCE,
    gridPos: grid,
    targets: targets(list),
    fieldConfig: { defaults: fieldConfig, overrides: [] },
    options:
      type === "stat"
        ? { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } }
        : { legend: { displayMode: "list", placement: "bottom", showLegend: true } },
  });
  const errorThreshold = errorRatioThreshold(config);
  const latencyThreshold = latencyP95ThresholdSeconds(config);
  // The objectives the daily update reports against, below the triggers: two lines a panel.
  const errorObjective = Number((config.slo.errorRateObjectivePercent / 100).toPrecision(12));
  const latencyObjective = config.slo.latencyP95ObjectiveMs / 1000;
  const panels = [
    panel(
      "Rollout percentage",
      "stat",
      { x: 0, y: 0, w: 6, h: 6 },
      [{ expr: STAGE, legendFormat: "stage" }],
      { unit: "percent", min: 0, max: 100 },
      "The rollout step served now: the step nearest to the canary's share of requests.",
    ),
    panel(
      `Health checks N/${jobs.length}`,
      "stat",
      { x: 6, y: 0, w: 6, h: 6 },
      [{ expr: `count(up{${jobMatcher}} == 1) or vector(0)`, legendFormat: "healthy" }],
      {
        unit: `suffix:/${jobs.length}`,
        min: 0,
        max: jobs.length,
        thresholds: {
          mode: "absolute",
          steps: [
            { color: "red", value: null },
            { color: "green", value: jobs.length },
          ],
        },
      },
      `Targets Prometheus scraped successfully, of ${jobs.length}: ${jobs.join(", ")}.`,
    ),
    panel(
      "Rollout percentage over time",
      "timeseries",
      { x: 12, y: 0, w: 12, h: 6 },
      [
        { expr: STAGE, legendFormat: "stage" },
        { expr: CANARY_SHARE_RECORD, legendFormat: "canary share of requests" },
      ],
      { unit: "percent", min: 0, max: 100 },
      "The stage and the canary's measured share of requests; promotions and rollbacks are annotated.",
    ),
    panel(
      "Error rate (5xx / all) vs threshold",
      "timeseries",
      { x: 0, y: 6, w: 12, h: 9 },
      [
        { expr: SLO_RECORDS.errorRatio, legendFormat: "{{variant}}" },
        { expr: `vector(${errorObjective})`, legendFormat: "objective" },
        { expr: `vector(${errorThreshold})`, legendFormat: "threshold" },
        {
          expr: `vector(${severeErrorRatioThreshold(config)})`,
          legendFormat: "severe (fast path)",
        },
      ],
      { unit: "percentunit", min: 0 },
      `Over ${2 * s}s windows, as the alerts read it; GenesisErrorRateHigh fires after a whole validation window above the threshold (the rollback trigger). The objective is the daily update's: above it the day is AT RISK.`,
    ),
    panel(
      "P95 latency vs threshold",
      "timeseries",
      { x: 12, y: 6, w: 12, h: 9 },
      [
        { expr: SLO_RECORDS.latencyP95Seconds, legendFormat: "{{variant}}" },
        { expr: `vector(${latencyObjective})`, legendFormat: "objective" },
        { expr: `vector(${latencyThreshold})`, legendFormat: "threshold" },
      ],
      { unit: "s", min: 0 },
      `Over ${2 * s}s windows, as the alerts read it; GenesisLatencyP95High fires after a whole validation window above the threshold (the rollback trigger). The objective is the daily update's: above it the day is AT RISK.`,
    ),
  ];
  const annotation = (name: string, expr: string, iconColor: string, titleFormat: string) => ({
    name,
    datasource: DATASOURCE,
    enable: true,
    hide: false,
    iconColor,
    expr,
    step: `${s}s`,
    titleFormat,
    textFormat: "",
    useValueForTime: false,
  });
  const dashboard = {
    uid: ROLLOUT_DASHBOARD_UID,
    title: "Genesis rollout",
    tags: ["genesis", "rollout", config.environment],
    timezone: "utc",
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: `${Math.max(s, 10)}s`,
    time: { from: "now-1h", to: "now" },
    annotations: {
      list: [
        annotation("Promotions", `${STAGE} > (${STAGE_BEFORE})`, "green", "Promotion"),
        annotation("Rollbacks", `${STAGE} < (${STAGE_BEFORE})`, "red", "Rollback"),
        annotation(
          "Rollout alerts",
          'ALERTS{alertstate="firing", alertname=~"Genesis.*"}',
          "orange",
          "{{alertname}} {{variant}}",
        ),
      ],
    },
    templating: { list: [] },
    panels,
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
