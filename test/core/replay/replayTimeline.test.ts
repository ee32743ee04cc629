import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { checkNames } from "../../../core/gate/checkCatalogue";
import { evaluateGate, HealthProbes, MetricOutcomes } from "../../../core/gate/checks";
import {
  GATE_MEASURE_GROUPS,
  MEASURE_LABEL,
  splitGroupedOutcomes,
} from "../../../core/gate/measureGroups";
import { QueryOutcome } from "../../../core/gate/prometheusResponse";
import {
  ChunkAnswer,
  instantMs,
  replayGrid,
  sliceAt,
  tabulate,
} from "../../../core/replay/instantTable";
import {
  evaluateUpHistory,
  measuresByInstant,
  NO_ALERTMANAGER_HISTORY,
  replayTimeline,
  UP_HISTORY_SUFFIX,
} from "../../../core/replay/replayTimeline";
import { StageTimeline } from "../../../core/replay/stageTimeline";
import { buckets, byVariant, scalar, SETTINGS } from "../gate/fixtures";

const T0 = Date.parse("2026-03-03T00:00:00Z");
const EMPTY: QueryOutcome = { kind: "empty" };

const HEALTHY: MetricOutcomes = {
  requests: byVariant({ canary: 600, stable: 11_400 }),
  errorRatio: byVariant({ canary: 0.002, stable: 0.001 }),
  latencyP95Seconds: byVariant({ canary: 0.12, stable: 0.1 }),
  latencyBuckets: buckets({
    canary: { "0.25": 590, "0.5": 600, "+Inf": 600 },
    stable: { "0.25": 11_300, "0.5": 11_400, "+Inf": 11_400 },
  }),
  statusLabelSeries: byVariant({ canary: 2, stable: 2 }),
  up: scalar(1),
  scrapeAgeSeconds: scalar(3),
  scrapesInWindow: scalar(20),
  failedScrapesInWindow: scalar(0),
  lastFailedScrapeSeconds: EMPTY,
  alertsFiredInWindow: EMPTY,
};
const BURST: MetricOutcomes = { ...HEALTHY, errorRatio: byVariant({ canary: 0.2, stable: 0.001 }) };
const NOTHING = Object.fromEntries(
  Object.keys(HEALTHY).map((k) => [k, EMPTY]),
) as unknown as MetricOutcomes;

/** The gate's grouped range answers for one outcome per instant, as Prometheus would send them. */
function gateTables(perInstant: readonly MetricOutcomes[]) {
  const grid = replayGrid(T0, T0 + (perInstant.length - 1) * 60_000, 60);
  return GATE_MEASURE_GROUPS.map((group) => {
    const series = new Map<
      string,
      { labels: Record<string, string>; points: { timeSeconds: number; value: number }[] }
    >();
    perInstant.forEach((metrics, i) => {
      for (const m of group) {
        const o = metrics[m];
        if (o.kind !== "samples") continue;
        for (const s of o.samples) {
          const labels = { [MEASURE_LABEL]: m, ...s.labels };
          const key = JSON.stringify(labels);
          if (!series.has(key)) series.set(key, { labels, points: [] });
          series.get(key)?.points.push({ timeSeconds: instantMs(grid, i) / 1000, value: s.value });
        }
      }
    });
    const answer: ChunkAnswer = {
      chunk: { first: 0, last: grid.count - 1 },
      outcome: { kind: "series", series: [...series.values()] },
    };
    return tabulate(grid, [answer]);
  });
}

const JOBS = ["prometheus", "grafana", "alertmanager", "node-exporter", "genesis-app"];
const FAILED: HealthProbes = {
  prometheus: { kind: "failure", reason: "-" },
  grafana: { kind: "failure", reason: "-" },
  alertmanager: { kind: "failure", reason: "-" },
  nodeExporter: { kind: "failure", reason: "-" },
  app: { kind: "failure", reason: "-" },
};
const HEALTH_NAMES = checkNames("health");

function upTable(count: number, values: Record<string, number>) {
  const grid = replayGrid(T0, T0 + (count - 1) * 60_000, 60);
  return tabulate(grid, [
    {
      chunk: { first: 0, last: count - 1 },
      outcome: {
        kind: "series",
        series: Object.entries(values).map(([job, value]) => ({
          labels: { job },
          points: Array.from({ length: count }, (_, i) => ({
            timeSeconds: instantMs(grid, i) / 1000,
            value,
          })),
        })),
      },
    },
  ]);
}

function stages(count: number, since: number | undefined): StageTimeline {
  return {
    source: "rules record",
    percentage: new Array<number>(count).fill(5),
    liveSinceMs: new Array<number | undefined>(count).fill(since),
    changes: [],
    notes: [],
  };
}

describe("replayTimeline", () => {
  const perInstant = [HEALTHY, BURST, NOTHING];
  const grid = replayGrid(T0, T0 + 2 * 60_000, 60);
  const input = {
    grid,
    settings: SETTINGS,
    groups: GATE_MEASURE_GROUPS,
    gateTables: gateTables(perInstant),
    upTable: upTable(3, Object.fromEntries(JOBS.map((j) => [j, 1]))),
    healthJobs: JOBS,
    stages: stages(3, T0 - 3_600_000),
    fallbackPercentage: 100,
  };

  it("judges every instant with evaluateGate itself: the same checks, values and reasons", () => {
    const points = replayTimeline(input);
    deepStrictEqual(
      points.map((p) => p.decision.verdict),
      ["pass", "fail", "inconclusive"],
    );
    points.forEach((p, i) => {
      const gate = evaluateGate({
        settings: SETTINGS,
        fromPercentage: 5,
        liveSinceMs: T0 - 3_600_000,
        nowMs: instantMs(grid, i),
        health: FAILED,
        metrics: perInstant[i],
        activeAlerts: NO_ALERTMANAGER_HISTORY,
      }).filter((c) => !HEALTH_NAMES.includes(c.name));
      deepStrictEqual(
        p.decision.checks.filter((c) => !c.name.endsWith(UP_HISTORY_SUFFIX)),
        gate,
      );
    });
    deepStrictEqual(
      points.map((p) => [p.errorRatePercent, p.latencyP95Ms, p.requests]),
      [
        [0.2, 120, 600],
        [20, 120, 600],
        [undefined, undefined, undefined],
      ],
    );
  });

  it("replaces the five health probes with the up history of their jobs, in the gate's order", () => {
    const [first] = replayTimeline({
      ...input,
      upTable: upTable(3, { prometheus: 1, grafana: 0, "genesis-app": 1 }),
    });
    deepStrictEqual(
      first.decision.checks.slice(0, 5).map((c) => [c.name, c.verdict, c.reason]),
      [
        [
          "prometheus health (up history)",
          "pass",
          'job="prometheus" up=1 (from the up history; the live probe cannot be replayed)',
        ],
        [
          "grafana health (up history)",
          "fail",
          'job="grafana" down (up=0) (from the up history; the live probe cannot be replayed)',
        ],
        [
          "alertmanager health (up history)",
          "inconclusive",
          'no up series for job="alertmanager" at this instant (from the up history; the live probe cannot be replayed)',
        ],
        [
          "node-exporter health (up history)",
          "inconclusive",
          'no up series for job="node-exporter" at this instant (from the up history; the live probe cannot be replayed)',
        ],
        [
          "app health (up history)",
          "pass",
          'job="genesis-app" up=1 (from the up history; the live probe cannot be replayed)',
        ],
      ],
    );
    strictEqual(first.decision.verdict, "fail");
  });

  it("makes the stage-live check inconclusive where the stage's start is unknown", () => {
    const [first] = replayTimeline({ ...input, stages: stages(3, undefined) });
    deepStrictEqual(
      first.decision.checks.find((c) => c.name === "stage live"),
      {
        name: "stage live",
        value: "unknown",
        threshold: ">= 300 s",
        verdict: "inconclusive",
        reason: "when the stage went live is unknown at this instant",
      },
    );
  });

  it("judges what-if thresholds on the same answers", () => {
    const points = replayTimeline({
      ...input,
      whatIf: { ...SETTINGS, errorRateThresholdPercent: 0.1 },
    });
    deepStrictEqual(
      points.map((p) => [p.decision.verdict, p.whatIf?.verdict]),
      [
        ["pass", "fail"],
        ["fail", "fail"],
        ["inconclusive", "inconclusive"],
      ],
    );
  });
});

describe("evaluateUpHistory", () => {
  it("errors on a failed query and on a value that is not 0 or 1", () => {
    deepStrictEqual(
      [
        evaluateUpHistory("grafana health", "grafana", { kind: "error", reason: "boom" }),
        evaluateUpHistory("grafana health", "grafana", byVariant({})),
        evaluateUpHistory("grafana health", "grafana", {
          kind: "samples",
          samples: [{ labels: { job: "grafana" }, value: 0.5, timestampSeconds: 1 }],
        }),
      ].map((c) => [c.verdict, c.reason]),
      [
        ["error", "up query failed: boom"],
        [
          "inconclusive",
          'no up series for job="grafana" at this instant (from the up history; the live probe cannot be replayed)',
        ],
        [
          "error",
          'Prometheus answered up=0.5 for job="grafana": not 0 or 1 (from the up history; the live probe cannot be replayed)',
        ],
      ],
    );
  });
});

describe("measuresByInstant", () => {
  it("answers at every instant what splitGroupedOutcomes makes of the slices", () => {
    const count = 5;
    const grid = replayGrid(T0, T0 + (count - 1) * 60_000, 60);
    const at = (i: number) => ({ timeSeconds: instantMs(grid, i) / 1000, value: i + 0.5 });
    const series = (labels: Record<string, string>, instants: number[]) => ({
      labels,
      points: instants.map(at),
    });
    // Group 0: a failed chunk (instants 3-4), an instant with nothing (2), samples of both
    // measures at 0 and of one at 1. Group 1: a sample without a known tag at 1 only.
    const group0 = tabulate(grid, [
      {
        chunk: { first: 0, last: 2 },
        outcome: {
          kind: "series",
          series: [
            series({ [MEASURE_LABEL]: "latencyP95Seconds", variant: "canary" }, [0, 1]),
            series({ [MEASURE_LABEL]: "latencyBuckets", variant: "canary", le: "0.5" }, [0]),
            series({ [MEASURE_LABEL]: "latencyP95Seconds", variant: "stable" }, [0]),
          ],
        },
      },
      { chunk: { first: 3, last: 4 }, outcome: { kind: "error", reason: "boom" } },
    ]);
    const group1 = tabulate(grid, [
      {
        chunk: { first: 0, last: count - 1 },
        outcome: {
          kind: "series",
          series: [
            series({ [MEASURE_LABEL]: "up" }, [0, 1, 2, 3, 4]),
            series({ [MEASURE_LABEL]: "latencyBuckets", job: "x" }, [1]),
            series({ job: "y" }, [3]),
          ],
        },
      },
    ]);
    const tables = [group0, group1];
    const fast = measuresByInstant(GATE_MEASURE_GROUPS, tables);
    for (let i = 0; i < count; i++) {
      deepStrictEqual(
        fast(i),
        splitGroupedOutcomes(
          tables.map((t) => sliceAt(t, i)),
          GATE_MEASURE_GROUPS,
        ),
        `instant ${i}`,
      );
    }
    // The cases the tables were built to hold, as the gate words them.
    deepStrictEqual(
      [fast(1).latencyBuckets.kind, fast(1).up, fast(2).latencyP95Seconds, fast(4).latencyBuckets],
      [
        "empty",
        {
          kind: "error",
          reason: `malformed answer: a sample tagged ${MEASURE_LABEL}="latencyBuckets", expected one of ${GATE_MEASURE_GROUPS[1].join(", ")} (labels {"${MEASURE_LABEL}":"latencyBuckets","job":"x"})`,
        },
        { kind: "empty" },
        { kind: "error", reason: "boom" },
      ],
    );
  });

  it("refuses groups that are not the tables' partition of the measures", () => {
    throws(
      () => measuresByInstant([GATE_MEASURE_GROUPS[0]], [gateTables([HEALTHY])[0]]),
      /measure groups must name each of/,
    );
  });
});
