import { deepStrictEqual, doesNotMatch, match, strictEqual } from "node:assert/strict";
import { CheckResult, GateVerdict } from "../../../core/gate/types";
import { replayGrid } from "../../../core/replay/instantTable";
import {
  promotionFindings,
  verdictRuns,
  whatIfDifference,
} from "../../../core/replay/replayFindings";
import {
  buildReplayReport,
  differenceLines,
  renderReplayHtml,
  renderReplayJson,
  renderReplayMarkdown,
} from "../../../core/replay/replayReport";
import { InstantDecision, ReplayPoint } from "../../../core/replay/replayTimeline";
import { StageTimeline } from "../../../core/replay/stageTimeline";

const T0 = Date.parse("2026-03-03T00:00:00Z");
const M = 60_000;

const result = (name: string, verdict: CheckResult["verdict"]): CheckResult => ({
  name,
  value: verdict === "pass" ? "ok" : "bad",
  threshold: "t",
  verdict,
  reason: `${name} ${verdict}`,
});

/** A decision from the names of the checks that did not pass (`!` prefix: inconclusive). */
function decision(...blocking: string[]): InstantDecision {
  const checks = [
    result("data freshness", blocking.includes("!data freshness") ? "inconclusive" : "pass"),
    result("error rate", blocking.includes("error rate") ? "fail" : "pass"),
    result("p95 latency", blocking.includes("p95 latency") ? "fail" : "pass"),
  ];
  const verdict: GateVerdict = checks.some((c) => c.verdict === "fail")
    ? "fail"
    : checks.some((c) => c.verdict !== "pass")
      ? "inconclusive"
      : "pass";
  return { verdict, checks };
}

/** Points from (real blocking, what-if blocking) per minute. */
function points(rows: readonly [string[], string[]][]): ReplayPoint[] {
  return rows.map(([real, whatIf], i) => ({
    atMs: T0 + i * M,
    stage: i < 4 ? 5 : 10,
    decision: decision(...real),
    whatIf: decision(...whatIf),
    errorRatePercent: 0.1 * i,
  }));
}

const ROWS: [string[], string[]][] = [
  [["!data freshness"], ["!data freshness"]],
  [[], ["error rate"]],
  [[], []],
  [[], ["error rate"]],
  [["p95 latency"], ["p95 latency"]],
  [["p95 latency"], ["p95 latency", "error rate"]],
  [[], []],
];
const STAGES: StageTimeline = {
  source: "rules record",
  percentage: [5, 5, 5, 5, 10, 10, 25],
  liveSinceMs: [T0 - 600_000, T0, T0, T0, T0 + 4 * M, T0 + 4 * M, T0 + 6 * M],
  changes: [
    { atMs: T0 + 4 * M, index: 4, from: 5, to: 10, kind: "promotion" },
    { atMs: T0 + 6 * M, index: 6, from: 10, to: 25, kind: "promotion" },
  ],
  notes: [],
};

describe("verdictRuns", () => {
  it("joins instants with one verdict and the same blocking checks, naming them", () => {
    deepStrictEqual(
      verdictRuns(points(ROWS)).map((r) => [
        r.fromMs - T0,
        r.toMs - T0,
        r.count,
        r.verdict,
        r.blockedBy,
        r.firstReasons,
      ]),
      [
        [0, 0, 1, "inconclusive", ["data freshness"], ["data freshness inconclusive"]],
        [M, 3 * M, 3, "pass", [], []],
        [4 * M, 5 * M, 2, "fail", ["p95 latency"], ["p95 latency fail"]],
        [6 * M, 6 * M, 1, "pass", [], []],
      ],
    );
  });
});

describe("promotionFindings and whatIfDifference", () => {
  const pts = points(ROWS);
  const findings = promotionFindings(pts, STAGES);

  it("judges each promotion at the last instant before it and finds the earliest passing instant of its stage", () => {
    deepStrictEqual(
      findings.map((f) => [
        `${f.change.from}->${f.change.to}`,
        f.judgedAtMs! - T0,
        f.verdict,
        f.blockedBy,
        f.whatIfVerdict,
        f.whatIfBlockedBy,
        f.stageStartMs - T0,
        f.earliestPassMs === undefined ? "never" : f.earliestPassMs - T0,
        f.whatIfEarliestPassMs === undefined ? "never" : f.whatIfEarliestPassMs - T0,
      ]),
      [
        ["5->10", 3 * M, "pass", [], "fail", ["error rate"], 0, M, 2 * M],
        [
          "10->25",
          5 * M,
          "fail",
          ["p95 latency"],
          "fail",
          ["error rate", "p95 latency"],
          4 * M,
          "never",
          "never",
        ],
      ],
    );
  });

  it("names the promotions what-if thresholds would have blocked, and counts the instants", () => {
    const d = whatIfDifference(pts, findings)!;
    deepStrictEqual(
      [d.blocked.length, d.letThrough.length, d.passToBlocked, d.blockedToPass],
      [1, 0, 2, 0],
    );
    deepStrictEqual(differenceLines(d), [
      "blocked 1 promotion the real thresholds let through: 5% -> 10% at 2026-03-03T00:04:00Z (error rate)",
      "let through no promotion the real thresholds blocked",
      "2 instants pass with the stack's thresholds and not with the what-if ones; 0 the other way",
    ]);
    strictEqual(
      whatIfDifference(
        pts.map(({ whatIf: _w, ...p }) => p),
        findings,
      ),
      undefined,
    );
  });
});

describe("the replay's documents", () => {
  const report = buildReplayReport({
    stack: "staging",
    grid: replayGrid(T0, T0 + 6 * M, 60),
    windowSeconds: 300,
    thresholds: { errorRateThresholdPercent: 1, latencyP95ThresholdMs: 500, minRequestCount: 100 },
    whatIf: { errorRateThresholdPercent: 0.5 },
    healthJobs: ["prometheus", "grafana", "alertmanager", "node-exporter", "genesis-app"],
    points: points(ROWS),
    stages: STAGES,
    rangeQueries: 5,
    notes: [],
  });

  it("Markdown: settings, caveats, verdict counts, promotions, the what-if difference and the runs", () => {
    const md = renderReplayMarkdown(report);
    for (const line of [
      "# Gate replay: staging, 2026-03-03T00:00:00Z to 2026-03-03T00:06:00Z",
      "7 instants every 60 s, validation window 300 s, 5 range queries. Stack thresholds: error rate < 1%, P95 < 500 ms, at least 100 requests in the window. What-if: error rate < 0.5%.",
      '- Live health probes cannot be replayed: the five health checks are judged from the `up` history of the jobs `prometheus`, `grafana`, `alertmanager`, `node-exporter`, `genesis-app` instead (names ending in "(up history)").',
      "| stack | 4 | 2 | 1 |",
      "| what-if | 2 | 4 | 1 |",
      "| 5% -> 10% at 2026-03-03T00:04:00Z | 2026-03-03T00:03:00Z | pass | - | 2026-03-03T00:00:00Z | 2026-03-03T00:01:00Z | fail | 2026-03-03T00:02:00Z |",
      "- blocked 1 promotion the real thresholds let through: 5% -> 10% at 2026-03-03T00:04:00Z (error rate)",
      "| 2026-03-03T00:04:00Z | 2026-03-03T00:05:00Z | 2 | fail | p95 latency | p95 latency fail |",
    ]) {
      strictEqual(md.split("\n").includes(line), true, `missing line: ${line}\n${md}`);
    }
  });

  it("HTML: verdict bands, error rate and P95 as inline SVG with the stages marked, nothing external", () => {
    const html = renderReplayHtml(report);
    strictEqual((html.match(/<svg /g) ?? []).length, 3);
    strictEqual((html.match(/<rect class="band /g) ?? []).length, 4 + 7);
    match(html, /<text x="[\d.]+" y="16" text-anchor="middle">10%<\/text>/);
    doesNotMatch(html, /(src|href)="|@import|url\(/);
  });

  it("JSON: every point with every check, and the findings", () => {
    const doc = JSON.parse(renderReplayJson(report)) as {
      points: {
        at: string;
        verdict: string;
        blockedBy: string[];
        checks: unknown[];
        whatIf: { verdict: string };
      }[];
      verdicts: Record<string, number>;
      difference: { summary: string[] };
    };
    strictEqual(doc.points.length, 7);
    deepStrictEqual(doc.points[4], {
      at: "2026-03-03T00:04:00Z",
      stage: 10,
      verdict: "fail",
      blockedBy: ["p95 latency"],
      errorRatePercent: 0.4,
      latencyP95Ms: null,
      requests: null,
      checks: decision("p95 latency").checks,
      whatIf: {
        verdict: "fail",
        blockedBy: ["p95 latency"],
        checks: decision("p95 latency").checks,
      },
    });
    deepStrictEqual(doc.verdicts, { pass: 4, fail: 2, inconclusive: 1 });
    strictEqual(doc.difference.summary.length, 3);
  });
});
