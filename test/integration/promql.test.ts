/**
 * The gate's PromQL run by Prometheus's own engine (`promtool test rules`, Prometheus 2.42):
 * counter resets, 4xx vs 5xx, no 5xx series at all, P95 at the bucket edge, scrape age.
 * Each test group sets `interval:` (2.42 does not default it).
 */
import { strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { groupedQueries, MEASURE_LABEL } from "../../core/gate/measureGroups";
import { buildGateQueries } from "../../core/gate/promql";

const q = buildGateQueries(
  {
    appJob: "genesis-app",
    appInstance: "app:8080",
    statusLabel: "code",
    scrapeIntervalSeconds: 15,
  },
  300,
);
const sel = 'job="genesis-app",instance="app:8080"';

/** Runs one promtool test file; resolves to promtool's output, throwing on failure. */
function promtool(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-promql-"));
  try {
    const file = path.join(dir, "test.yml");
    writeFileSync(file, yaml);
    const r = spawnSync("/usr/bin/promtool", ["test", "rules", file], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`promtool failed:\n${r.stdout}\n${r.stderr}\n${yaml}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const test = (
  series: [string, string][],
  exprs: { expr: string; at: string; samples: [string, number][] }[],
) =>
  [
    "rule_files: []",
    "evaluation_interval: 1m",
    "tests:",
    "  - interval: 1m",
    "    input_series:",
    ...series.flatMap(([s, v]) => [`      - series: '${s}'`, `        values: '${v}'`]),
    "    promql_expr_test:",
    ...exprs.flatMap((e) => [
      `      - expr: ${JSON.stringify(e.expr)}`,
      `        eval_time: ${e.at}`,
      "        exp_samples:",
      ...e.samples.flatMap(([labels, value]) => [
        `          - labels: '${labels}'`,
        `            value: ${value}`,
      ]),
    ]),
    "",
  ].join("\n");

describe("the gate's PromQL in Prometheus's engine (promtool, integration)", () => {
  it("error ratio survives a counter reset and counts only 5xx; no 5xx series means 0", () => {
    const out = promtool(
      test(
        [
          // The canary restarts at minute 6: both counters reset to 0.
          [`http_requests_total{${sel},code="200",variant="canary"}`, "0+49x5 0+49x5"],
          [`http_requests_total{${sel},code="500",variant="canary"}`, "0+1x5 0+1x5"],
          // Stable: plenty of 404s, no 5xx series at all.
          [`http_requests_total{${sel},code="404",variant="stable"}`, "0+50x10"],
          [`http_requests_total{${sel},code="200",variant="stable"}`, "0+50x10"],
        ],
        [
          {
            expr: q.errorRatio,
            at: "8m",
            samples: [
              ['{variant="canary"}', 0.02],
              ['{variant="stable"}', 0],
            ],
          },
        ],
      ),
    );
    strictEqual(out.includes("SUCCESS"), true);
  });

  it("scrapes in window: counts every failed scrape and dates the last; alerts count firing evaluations", () => {
    const alerts = (state: string, values: string): [string, string] => [
      `ALERTS{alertname="GenesisErrorRateHigh",alertstate="${state}",variant="canary"}`,
      values,
    ];
    const out = promtool(
      test(
        [
          // Minutes 0..10: failures at minutes 2, 4 and 5.
          [`up{${sel}}`, "1 1 0 1 0 0 1 1 1 1 1"],
          // Pending at minutes 1-2, firing at 3-4, resolved (stale) after.
          alerts("pending", "_ 1 1 _ _ _ _ _ _ _ _"),
          alerts("firing", "_ _ _ 1 1 _ _ _ _ _ _"),
          // Another system's alert never counts.
          ['ALERTS{alertname="Watchdog",alertstate="firing"}', "1x10"],
        ],
        [
          // The window of 300 s at 7m holds minutes 2..7 (the range includes its start).
          { expr: q.scrapesInWindow, at: "7m", samples: [["{}", 6]] },
          { expr: q.failedScrapesInWindow, at: "7m", samples: [["{}", 3]] },
          { expr: q.lastFailedScrapeSeconds, at: "7m", samples: [["{}", 300]] },
          {
            expr: q.alertsFiredInWindow,
            at: "7m",
            samples: [['{alertname="GenesisErrorRateHigh"}', 2]],
          },
          // At 11m the window holds minutes 6..10: no failure, nothing fired.
          { expr: q.failedScrapesInWindow, at: "11m", samples: [["{}", 0]] },
          { expr: q.lastFailedScrapeSeconds, at: "11m", samples: [] },
          { expr: q.alertsFiredInWindow, at: "11m", samples: [] },
        ],
      ),
    );
    strictEqual(out.includes("SUCCESS"), true);
  });

  it("P95 is at or above 0.5 s exactly when more than 5 % of requests are slower than 0.5 s", () => {
    const buckets = (variant: string, below: number): [string, string][] => [
      [
        `http_request_duration_seconds_bucket{${sel},variant="${variant}",le="0.25"}`,
        `0+${below}x10`,
      ],
      [
        `http_request_duration_seconds_bucket{${sel},variant="${variant}",le="0.5"}`,
        `0+${below}x10`,
      ],
      [`http_request_duration_seconds_bucket{${sel},variant="${variant}",le="1"}`, "0+100x10"],
      [`http_request_duration_seconds_bucket{${sel},variant="${variant}",le="+Inf"}`, "0+100x10"],
    ];
    const out = promtool(
      test(
        [...buckets("canary", 94), ...buckets("stable", 96)],
        [
          {
            expr: `${q.latencyP95Seconds} >= bool 0.5`,
            at: "10m",
            samples: [
              ['{variant="canary"}', 1],
              ['{variant="stable"}', 0],
            ],
          },
        ],
      ),
    );
    strictEqual(out.includes("SUCCESS"), true);
  });

  it("requests in the window are counted across a reset; up and scrape age read the target", () => {
    const out = promtool(
      test(
        [
          // The process restarts between minutes 5 and 6 and has served 10 requests by minute 6.
          [`http_requests_total{${sel},code="200"}`, "0+10x5 10+10x4"],
          [`up{${sel}}`, "1x10"],
        ],
        [
          { expr: `round(${q.requests})`, at: "8m", samples: [["{}", 50]] },
          { expr: q.up, at: "10m", samples: [["{}", 1]] },
          { expr: q.scrapeAgeSeconds, at: "10m", samples: [["{}", 0]] },
        ],
      ),
    );
    strictEqual(out.includes("SUCCESS"), true);
  });

  it("the grouped queries answer every measure at once, each tagged with its name", () => {
    const [latency, counters] = groupedQueries(q);
    const tag = (measure: string, labels = "") =>
      `{${MEASURE_LABEL}="${measure}"${labels === "" ? "" : `, ${labels}`}}`;
    const out = promtool(
      test(
        [
          [`http_requests_total{${sel},code="200",variant="canary"}`, "0+60x10"],
          [`http_requests_total{${sel},code="500",variant="canary"}`, "0+0x10"],
          [`http_requests_total{${sel},code="200",variant="stable"}`, "0+60x10"],
          [`up{${sel}}`, "1x10"],
          [`http_request_duration_seconds_bucket{${sel},variant="canary",le="0.5"}`, "0+90x10"],
          [`http_request_duration_seconds_bucket{${sel},variant="canary",le="1"}`, "0+100x10"],
          [`http_request_duration_seconds_bucket{${sel},variant="canary",le="+Inf"}`, "0+100x10"],
        ],
        [
          // Tagged once per variant, and equal to the measure's own query.
          {
            expr: `count by (${MEASURE_LABEL}, variant) (${latency})`,
            at: "10m",
            samples: [
              [tag("latencyP95Seconds", 'variant="canary"'), 1],
              [tag("latencyBuckets", 'variant="canary"'), 3],
            ],
          },
          {
            expr: `sum without (${MEASURE_LABEL}) (${latency}) == bool ${q.latencyBuckets}`,
            at: "10m",
            samples: [
              ['{variant="canary", le="0.5"}', 1],
              ['{variant="canary", le="1"}', 1],
              ['{variant="canary", le="+Inf"}', 1],
            ],
          },
          {
            expr: `sum without (${MEASURE_LABEL}) (${latency}) == bool ${q.latencyP95Seconds}`,
            at: "10m",
            samples: [['{variant="canary"}', 1]],
          },
          {
            expr: counters,
            at: "10m",
            samples: [
              [tag("requests", 'variant="canary"'), 300],
              [tag("requests", 'variant="stable"'), 300],
              [tag("errorRatio", 'variant="canary"'), 0],
              [tag("errorRatio", 'variant="stable"'), 0],
              [tag("statusLabelSeries", 'variant="canary"'), 2],
              [tag("statusLabelSeries", 'variant="stable"'), 1],
              [tag("up"), 1],
              [tag("scrapeAgeSeconds"), 0],
              // No failed scrape (so no time of the last) and no alert: those measures
              // answer 0 or nothing, and nothing from one measure hides another's.
              [tag("scrapesInWindow"), 6],
              [tag("failedScrapesInWindow"), 0],
            ],
          },
        ],
      ),
    );
    strictEqual(out.includes("SUCCESS"), true);
  });
});
