/**
 * Property-based tests of the gate: for any health probes and any Prometheus answers
 * (NaN, infinities, negative and huge numbers, empty and error outcomes, wrong or absent
 * variant labels, random bucket edges, duplicate samples), a "pass" implies what a pass
 * promises, checked by an oracle written here from the contract, independently of
 * core/gate/checks.ts. fast-check shrinks any counterexample to a small one.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  chooseScope,
  evaluateGate,
  GateEvaluationInput,
  HealthProbes,
  HttpProbe,
  MetricOutcomes,
  summarizeVerdict,
} from "../../../core/gate/checks";
import { ActiveAlertsOutcome } from "../../../core/gate/gateAlerts";
import { QueryOutcome, Sample } from "../../../core/gate/prometheusResponse";
import { SETTINGS } from "./fixtures";

const NOW_MS = 2_000_000_000_000;

/**
 * Runs per property: 2000, or, under Stryker (which sets STRYKER_MUTATOR_WORKER in its
 * workers), 200 from a fixed seed and without shrinking. The two properties cover nearly
 * every mutant of core/gate/checks.ts and cost seconds per mutant at 2000 runs; a fixed seed
 * makes a kill reproducible from one run to the next, and a shrunk counterexample is of no
 * use to a mutant.
 */
const PROPERTY_RUNS: { numRuns: number; seed?: number; endOnFailure?: boolean } =
  process.env.STRYKER_MUTATOR_WORKER === undefined
    ? { numRuns: 2000 }
    : { numRuns: 200, seed: 15, endOnFailure: true };

// ---------------------------------------------------------------- arbitraries

/** Numbers that break naive code. */
const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      NaN,
      Infinity,
      -Infinity,
      -0.4,
      -1,
      0,
      -0,
      1,
      2,
      1e308,
      -1e308,
      5e-324,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
);

/** The parts of an input that a run may single out for faults. */
const PARTS = [
  "health",
  "stage",
  "requests",
  "errorRatio",
  "latencyP95Seconds",
  "latencyBuckets",
  "statusLabelSeries",
  "up",
  "scrapeAgeSeconds",
  "scrapes",
  "alerts",
] as const;
type Part = (typeof PARTS)[number];

/**
 * How hostile one run is, part by part: the weight of each hostile alternative against 100
 * for the plausible one. Most runs are calm but for one part that gets faults half the time
 * (where a wrong pass would hide: everything else fine, one subtle fault); some runs throw
 * everything at once.
 */
const hostilityArb: fc.Arbitrary<(part: Part) => number> = fc
  .record({
    faulty: fc.option(fc.constantFrom(...PARTS), { nil: undefined }),
    base: fc.constantFrom(1, 1, 1, 40),
  })
  .map(
    ({ faulty, base }) =>
      (part: Part) =>
        part === faulty ? 100 : base,
  );

/** A plausible number in [min, max], sometimes (weight `h`) a nasty one instead. */
const mostly = (min: number, max: number, h: number): fc.Arbitrary<number> =>
  fc.oneof(
    // Uniform on a grid: fc.double leans to the bounds, which would starve the passing runs.
    {
      weight: 100,
      arbitrary: fc.integer({ min: 0, max: 1_000_000 }).map((k) => min + ((max - min) * k) / 1e6),
    },
    { weight: h, arbitrary: nastyNumber },
  );

/** How the answers are labelled: no variant, canary and stable, stable only, or odd. */
type Labelling = "none" | "canary+stable" | "stable" | "odd";
const labellingArb: fc.Arbitrary<Labelling> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Labelling>("none") },
  { weight: 5, arbitrary: fc.constant<Labelling>("canary+stable") },
  { weight: 1, arbitrary: fc.constant<Labelling>("stable") },
  { weight: 1, arbitrary: fc.constant<Labelling>("odd") },
);

const variantsOf = (l: Labelling): (string | undefined)[] =>
  l === "none"
    ? [undefined]
    : l === "canary+stable"
      ? ["canary", "stable"]
      : l === "stable"
        ? ["stable"]
        : ["", "Canary", "blue"];

const sample = (variant: string | undefined, value: number, extra = {}): Sample => ({
  labels: { ...(variant === undefined ? {} : { variant }), ...extra },
  value,
  timestampSeconds: 1000,
});

const errorOutcome: fc.Arbitrary<QueryOutcome> = fc.constant({
  kind: "error",
  reason: "Prometheus error (HTTP 422) execution: boom",
});

/** Any samples at all: random variants (or none), random values, duplicates welcome. */
const wildSamples: fc.Arbitrary<QueryOutcome> = fc
  .array(
    fc.tuple(
      fc.option(fc.constantFrom("canary", "stable", "", "blue", "CANARY"), { nil: undefined }),
      nastyNumber,
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => ({ kind: "samples", samples: pairs.map(([v, x]) => sample(v, x)) }));

/** `plausible` (weight 100), or (weight `h` in all) empty, an error or wild samples. */
const orHostile = (plausible: fc.Arbitrary<QueryOutcome>, h: number): fc.Arbitrary<QueryOutcome> =>
  fc.oneof(
    { weight: 100, arbitrary: plausible },
    { weight: Math.ceil(h / 3), arbitrary: fc.constant<QueryOutcome>({ kind: "empty" }) },
    { weight: Math.ceil(h / 3), arbitrary: errorOutcome },
    { weight: Math.ceil(h / 3), arbitrary: wildSamples },
  );

/** One measure's answer: one sample per variant, sometimes one more with the same variant. */
function measure(l: Labelling, value: fc.Arbitrary<number>, h: number): fc.Arbitrary<QueryOutcome> {
  const variants = variantsOf(l);
  const plausible = fc
    .tuple(fc.array(value, { minLength: variants.length, maxLength: variants.length }), value)
    .chain(([values, twin]) => {
      const samples = variants.map((v, i) => sample(v, values[i]));
      return fc.oneof(
        { weight: 100, arbitrary: fc.constant<QueryOutcome>({ kind: "samples", samples }) },
        {
          weight: h,
          arbitrary: fc.constant<QueryOutcome>({
            kind: "samples",
            samples: [...samples, sample(variants[0], twin)],
          }),
        },
      );
    });
  return orHostile(plausible, h);
}

/** A label-less single answer (`min(up)`, the scrape age). */
function scalarMeasure(value: fc.Arbitrary<number>, h: number): fc.Arbitrary<QueryOutcome> {
  return orHostile(
    value.map((x): QueryOutcome => ({ kind: "samples", samples: [sample(undefined, x)] })),
    h,
  );
}

const EDGES = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10];

/** One variant's buckets: random edges, cumulative counts, sometimes broken. */
const histogramOf = (variant: string | undefined, h: number): fc.Arbitrary<Sample[]> =>
  fc
    .record({
      edges: fc.oneof(
        { weight: 3, arbitrary: fc.constant(EDGES) },
        {
          weight: 2,
          arbitrary: fc.uniqueArray(
            fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom(...EDGES) },
              { weight: 1, arbitrary: fc.double({ min: 0, max: 20, noNaN: true }) },
            ),
            { minLength: 0, maxLength: EDGES.length },
          ),
        },
      ),
      total: fc.oneof(
        { weight: h, arbitrary: fc.constant(0) },
        { weight: 100, arbitrary: fc.integer({ min: 1, max: 5000 }) },
      ),
      // Mostly fast services (most requests under the low edges), sometimes any shape.
      fractions: fc.constantFrom(0.97, 0.97, 0.9, 0).chain((low) =>
        fc.array(
          fc.integer({ min: 0, max: 1000 }).map((k) => low + ((1 - low) * k) / 1000),
          { minLength: EDGES.length, maxLength: EDGES.length },
        ),
      ),
      withInf: fc.oneof(
        { weight: 100, arbitrary: fc.constant(true) },
        { weight: h, arbitrary: fc.constant(false) },
      ),
      breakage: fc.oneof(
        { weight: 100, arbitrary: fc.constant<undefined>(undefined) },
        {
          weight: h,
          arbitrary: fc.record({
            at: fc.nat(),
            value: nastyNumber,
            le: fc.option(fc.constantFrom("fast", "", "0x10", " 0.5", "1e3", "-1", "NaN"), {
              nil: undefined,
            }),
          }),
        },
      ),
    })
    .map(({ edges, total, fractions, withInf, breakage }) => {
      const sorted = [...edges].sort((a, b) => a - b);
      const shares = [...fractions].sort((a, b) => a - b);
      const out = sorted.map((edge, i) =>
        sample(variant, Math.round(total * shares[i]), { le: String(edge) }),
      );
      if (withInf) out.push(sample(variant, total, { le: "+Inf" }));
      if (breakage !== undefined && out.length > 0) {
        const i = breakage.at % out.length;
        const le = breakage.le ?? out[i].labels.le;
        out[i] = sample(variant, breakage.value, { le });
      }
      return out;
    });

function bucketsMeasure(l: Labelling, h: number): fc.Arbitrary<QueryOutcome> {
  const parts = variantsOf(l).map((v) => histogramOf(v, h));
  const plausible = fc.tuple(...parts).map((all): QueryOutcome => {
    const samples = all.flat();
    return samples.length === 0 ? { kind: "empty" } : { kind: "samples", samples };
  });
  return orHostile(plausible, h);
}

const metricsArb = (h: (part: Part) => number): fc.Arbitrary<MetricOutcomes> =>
  labellingArb.chain((l) =>
    fc.record({
      requests: measure(l, mostly(0, 3000, h("requests")), h("requests")),
      errorRatio: measure(l, mostly(0, 0.006, h("errorRatio")), h("errorRatio")),
      latencyP95Seconds: measure(l, mostly(0, 0.3, h("latencyP95Seconds")), h("latencyP95Seconds")),
      latencyBuckets: bucketsMeasure(l, h("latencyBuckets")),
      statusLabelSeries: measure(l, mostly(0, 5, h("statusLabelSeries")), h("statusLabelSeries")),
      up: scalarMeasure(
        fc.oneof(
          { weight: 100, arbitrary: fc.constant(1) },
          { weight: h("up"), arbitrary: fc.constant(0) },
          { weight: h("up"), arbitrary: nastyNumber },
        ),
        h("up"),
      ),
      scrapeAgeSeconds: scalarMeasure(mostly(0, 35, h("scrapeAgeSeconds")), h("scrapeAgeSeconds")),
      scrapesInWindow: scalarMeasure(
        fc.oneof(
          { weight: 100, arbitrary: fc.integer({ min: 1, max: 40 }) },
          { weight: h("scrapes"), arbitrary: nastyNumber },
        ),
        h("scrapes"),
      ),
      failedScrapesInWindow: scalarMeasure(
        fc.oneof(
          { weight: 100, arbitrary: fc.constant(0) },
          { weight: h("scrapes"), arbitrary: fc.integer({ min: 1, max: 5 }) },
          { weight: h("scrapes"), arbitrary: nastyNumber },
        ),
        h("scrapes"),
      ),
      lastFailedScrapeSeconds: fc.oneof(
        { weight: 100, arbitrary: fc.constant<QueryOutcome>({ kind: "empty" }) },
        {
          weight: h("scrapes"),
          arbitrary: scalarMeasure(
            fc.oneof(fc.integer({ min: NOW_MS / 1000 - 900, max: NOW_MS / 1000 }), nastyNumber),
            h("scrapes"),
          ),
        },
      ),
      alertsFiredInWindow: fc.oneof(
        { weight: 100, arbitrary: fc.constant<QueryOutcome>({ kind: "empty" }) },
        {
          weight: h("alerts"),
          arbitrary: fc
            .uniqueArray(fc.constantFrom(...ALERT_NAMES), { minLength: 1, maxLength: 3 })
            .chain((names) =>
              fc
                .array(fc.oneof(fc.integer({ min: 1, max: 20 }), nastyNumber), {
                  minLength: names.length,
                  maxLength: names.length,
                })
                .map((values): QueryOutcome => ({
                  kind: "samples",
                  samples: names.map((alertname, i) => ({
                    labels: { alertname },
                    value: values[i],
                    timestampSeconds: 1000,
                  })),
                })),
            ),
        },
        { weight: h("alerts"), arbitrary: errorOutcome },
      ),
    }),
  );

/** Alert names the arbitraries use: some of the stack's, one of another system. */
const ALERT_NAMES = [
  "GenesisErrorRateHigh",
  "GenesisHealthCheckFailing",
  "GenesisMonitoringTargetDown",
  "Watchdog",
];

const activeAlertsArb = (h: number): fc.Arbitrary<ActiveAlertsOutcome> =>
  fc.oneof(
    { weight: 100, arbitrary: fc.constant<ActiveAlertsOutcome>({ kind: "alerts", alerts: [] }) },
    {
      weight: h,
      arbitrary: fc
        .array(fc.constantFrom(...ALERT_NAMES), { minLength: 1, maxLength: 3 })
        .map((names): ActiveAlertsOutcome => ({
          kind: "alerts",
          alerts: names.map((name) => ({ name, startsAt: "2033-05-18T03:30:00Z" })),
        })),
    },
    {
      weight: h,
      arbitrary: fc.constant<ActiveAlertsOutcome>({
        kind: "error",
        reason: "Alertmanager /api/v2/alerts answered HTTP 503; expected 200",
      }),
    },
  );

const BODIES = [
  "",
  "OK",
  "OK\n",
  "ok",
  "Prometheus Server is Healthy.\n",
  "Prometheus Server is Ready.\n",
  '{"database":"ok","version":"11.3.0"}',
  '{"database":"failing"}',
  '{"status":"UP"}',
  '{"status":"DOWN"}',
  '{"status":"out_of_service"}',
  '{"status":"pass"}',
  '{"status":"fail"}',
  '{"status":"Unhealthy"}',
  '{"status":3}',
  "null",
  "[]",
  '# HELP x\nnode_exporter_build_info{version="1.5.0"} 1\n',
  "node_exporter_build_info 1\n",
  "<!DOCTYPE html><html><body>Login</body></html>",
];

const probeArb = (good: string, h: number): fc.Arbitrary<HttpProbe> =>
  fc.oneof(
    {
      weight: 100,
      arbitrary: fc.constant<HttpProbe>({ kind: "response", status: 200, body: good }),
    },
    {
      weight: h,
      arbitrary: fc.record({
        kind: fc.constant("response" as const),
        status: fc.constantFrom(200, 201, 204, 299, 300, 302, 400, 404, 500, 503),
        body: fc.oneof(fc.constantFrom(...BODIES), fc.string({ maxLength: 40 })),
      }),
    },
    { weight: h, arbitrary: fc.constant<HttpProbe>({ kind: "failure", reason: "refused" }) },
  );

const healthArb = (h: number): fc.Arbitrary<HealthProbes> =>
  fc.record({
    prometheus: probeArb("Prometheus Server is Healthy.\n", h),
    grafana: probeArb('{"database":"ok"}', h),
    alertmanager: probeArb("OK", h),
    nodeExporter: probeArb('node_exporter_build_info{version="1.5.0"} 1\n', h),
    app: probeArb('{"status":"UP"}', h),
  });

const inputArb: fc.Arbitrary<GateEvaluationInput> = hostilityArb.chain((h) =>
  fc.record({
    settings: fc
      .record({
        latencyP95ThresholdMs: fc.constantFrom(250, 300, 500, 1000),
        errorRateThresholdPercent: fc.constantFrom(0.5, 1, 2.5),
        minRequestCount: fc.constantFrom(1, 100, 1000),
        canaryErrorMarginPercent: fc.constantFrom(0, 0.5, 1),
      })
      .map((s) => ({ ...SETTINGS, ...s })),
    fromPercentage: fc.constantFrom(0, 5, 25, 100),
    liveSinceMs: fc
      .oneof(
        { weight: 100, arbitrary: fc.integer({ min: 300, max: 900 }) },
        { weight: h("stage"), arbitrary: fc.integer({ min: 0, max: 300 }) },
      )
      .map((s) => NOW_MS - s * 1000),
    nowMs: fc.constant(NOW_MS),
    health: healthArb(h("health")),
    metrics: metricsArb(h),
    activeAlerts: activeAlertsArb(h("alerts")),
  }),
);

// ---------------------------------------------------------------- the oracle

const UNHEALTHY = ["down", "out_of_service", "unhealthy", "fail", "failing", "error"];

function json(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function field(body: string, key: string): unknown {
  const parsed = json(body);
  return parsed !== null && typeof parsed === "object"
    ? (parsed as Record<string, unknown>)[key]
    : undefined;
}

/** Whether each probe answered per the health contract (docs/rolloutGates.md). */
function healthy(h: HealthProbes): string[] {
  const bad: string[] = [];
  const resp = (p: HttpProbe) => (p.kind === "response" ? p : undefined);
  const prom = resp(h.prometheus);
  if (!prom || prom.status !== 200 || !prom.body.includes("Healthy")) bad.push("prometheus");
  const am = resp(h.alertmanager);
  if (!am || am.status !== 200 || !am.body.trim().startsWith("OK")) bad.push("alertmanager");
  const gr = resp(h.grafana);
  if (!gr || gr.status !== 200 || field(gr.body, "database") !== "ok") bad.push("grafana");
  const ne = resp(h.nodeExporter);
  if (!ne || ne.status !== 200 || !/^node_exporter_build_info\{/m.test(ne.body)) bad.push("node");
  const app = resp(h.app);
  const status = app === undefined ? undefined : field(app.body, "status");
  if (
    !app ||
    app.status < 200 ||
    app.status > 299 ||
    (typeof status === "string" && UNHEALTHY.includes(status.toLowerCase()))
  ) {
    bad.push("app");
  }
  return bad;
}

/** The one value a scope has in an answer, or why not. */
function only(o: QueryOutcome, variant: "canary" | "stable" | "all"): number | string {
  if (o.kind !== "samples") return o.kind;
  const s = variant === "all" ? o.samples : o.samples.filter((x) => x.labels.variant === variant);
  return s.length === 1 ? s[0].value : `${s.length} samples`;
}

const finiteIn = (x: number | string, lo: number, hi: number): x is number =>
  typeof x === "number" && Number.isFinite(x) && x >= lo && x <= hi;

/** Violations of what a pass promises; empty when the pass is deserved. */
function violations(input: GateEvaluationInput): string[] {
  const { settings: s, metrics: m } = input;
  const v: string[] = healthy(input.health).map((c) => `${c} not healthy`);
  if (input.nowMs - input.liveSinceMs < s.validationWindowSeconds * 1000)
    v.push("not live long enough");
  if (only(m.up, "all") !== 1) v.push("up is not 1");
  if (!finiteIn(only(m.scrapeAgeSeconds, "all"), 0, 2 * s.scrapeIntervalSeconds))
    v.push("scrape age");
  // The whole window: no failed scrape, and no alert of the stack now or in the window.
  if (only(m.failedScrapesInWindow, "all") !== 0) v.push("a failed scrape in the window");
  if (!finiteIn(only(m.scrapesInWindow, "all"), 0, Number.MAX_VALUE)) v.push("scrape count");
  if (m.alertsFiredInWindow.kind !== "empty") v.push("an alert fired in the window");
  const active = input.activeAlerts;
  if (active === undefined || active.kind !== "alerts") v.push("Alertmanager's alerts unread");
  else if (active.alerts.some((a) => a.name.startsWith("Genesis")))
    v.push("a Genesis alert firing now");
  const hasCanary =
    m.requests.kind === "samples" && m.requests.samples.some((x) => x.labels.variant === "canary");
  if (
    !hasCanary &&
    input.fromPercentage > 0 &&
    m.requests.kind === "samples" &&
    m.requests.samples.some((x) => (x.labels.variant ?? "") !== "")
  ) {
    v.push("variant labels without a canary while traffic is on the canary");
  }
  const scope = hasCanary ? "canary" : "all";
  const requests = only(m.requests, scope);
  if (!finiteIn(requests, s.minRequestCount, Number.MAX_VALUE)) v.push(`requests ${requests}`);
  const ratio = only(m.errorRatio, scope);
  if (!finiteIn(ratio, 0, 1) || !(ratio * 100 < s.errorRateThresholdPercent))
    v.push(`ratio ${ratio}`);
  const labelled = only(m.statusLabelSeries, scope);
  if (!finiteIn(labelled, Number.MIN_VALUE, Number.MAX_VALUE))
    v.push(`status label series ${labelled}`);
  const p95 = only(m.latencyP95Seconds, scope);
  if (!finiteIn(p95, 0, Number.MAX_VALUE) || !(p95 * 1000 < s.latencyP95ThresholdMs))
    v.push(`p95 ${p95}`);
  v.push(...histogramViolations(m.latencyBuckets, scope, s.latencyP95ThresholdMs / 1000));
  if (scope === "canary") {
    const stable = only(m.errorRatio, "stable");
    if (!finiteIn(stable, 0, 1)) v.push(`stable ratio ${stable}`);
    else if (
      typeof ratio === "number" &&
      ratio * 100 - stable * 100 > s.canaryErrorMarginPercent + 1e-9
    ) {
      v.push("canary over the margin");
    }
  }
  return v;
}

function histogramViolations(
  o: QueryOutcome,
  scope: "canary" | "all",
  thresholdS: number,
): string[] {
  if (o.kind !== "samples") return [`buckets ${o.kind}`];
  const samples =
    scope === "all" ? o.samples : o.samples.filter((x) => x.labels.variant === "canary");
  const buckets = samples.map((x) => ({
    edge:
      x.labels.le === "+Inf" ? Infinity : x.labels.le?.trim() === "" ? NaN : Number(x.labels.le),
    count: x.value,
  }));
  if (buckets.some((b) => Number.isNaN(b.edge))) return ["a bucket edge that is not a number"];
  if (new Set(buckets.map((b) => b.edge)).size !== buckets.length) return ["duplicate edges"];
  if (buckets.some((b) => !finiteIn(b.count, 0, Number.MAX_VALUE)))
    return ["bucket count out of domain"];
  buckets.sort((a, b) => a.edge - b.edge);
  const top = buckets[buckets.length - 1];
  if (top === undefined || top.edge !== Infinity) return ["no +Inf bucket"];
  for (let i = 0; i + 1 < buckets.length; i++) {
    if (buckets[i].count > buckets[i + 1].count * (1 + 1e-9)) return ["buckets not cumulative"];
  }
  const finite = buckets.filter((b) => Number.isFinite(b.edge));
  if (!finite.some((b) => b.edge >= thresholdS))
    return ["no finite edge at or above the threshold"];
  const at = finite.filter((b) => b.edge <= thresholdS).pop();
  if (at === undefined) return ["no finite edge at or below the threshold"];
  if (!(top.count > 0)) return ["the histogram counted no requests"];
  const slowShare = 1 - at.count / top.count;
  return slowShare <= 0.05 + 1e-9 ? [] : [`slow share ${slowShare}`];
}

// ---------------------------------------------------------------- the properties

const EXPECTED_NAMES = [
  "prometheus health",
  "grafana health",
  "alertmanager health",
  "node-exporter health",
  "app health",
  "stage live",
  "data freshness",
  "scrapes in window",
  "alerts",
  "request count",
  "error rate",
  "p95 latency",
];

describe("gate properties", () => {
  it("a pass is deserved: whatever the probes and answers, a pass satisfies the oracle", () => {
    let passes = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        if (summarizeVerdict(evaluateGate(input)) !== "pass") return;
        passes++;
        deepStrictEqual(violations(input), []);
      }),
      PROPERTY_RUNS,
    );
    // The property is not vacuous: the arbitraries reach passing inputs often enough.
    const runs = PROPERTY_RUNS.numRuns;
    ok(
      passes >= runs * 0.015,
      `only ${passes} of ${runs} runs passed; the arbitraries are too hostile`,
    );
  });

  it("never throws, and always returns the same checks in the same order for a scope", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const checks = evaluateGate(input);
        const canary = chooseScope(input.metrics.requests, input.fromPercentage) === "canary";
        deepStrictEqual(
          checks.map((c) => c.name),
          canary ? [...EXPECTED_NAMES, "canary vs stable"] : EXPECTED_NAMES,
        );
        for (const c of checks) {
          ok(["pass", "fail", "inconclusive", "error"].includes(c.verdict));
          ok(c.reason.length > 0 && c.value.length > 0 && c.threshold.length > 0);
          ok(!/undefined|\[object/.test(c.reason), c.reason);
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
