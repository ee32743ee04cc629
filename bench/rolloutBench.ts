/**
 * `npm run bench:rollout`: whole rollouts with compressed windows against a real Prometheus
 * (scraping every second) and the reference service under load, with an in-process stack in
 * place of the Pulumi CLI (its `up` runs the gate's real probes and decision). Prints:
 * - total time / sum of the validation windows of a healthy but noisy rollout 0 -> 100 %
 *   (target <= 1.02), and its false rollbacks (target 0);
 * - a severe breach (canary answering 100 % 5xx) from onset to the rollback decision, in
 *   scrape intervals, over three trials (target: median <= 3);
 * - a marginal breach (canary at 1.2x the error threshold): rolled back only at the end of
 *   the window.
 */
import { NO_FAULTS } from "../app/faults";
import {
  RolloutWorld,
  runWorldRollout,
  startRolloutWorld,
  waitForScrapes,
  worldConfig,
} from "../test/support/rolloutHarness";

const LOAD_PER_SECOND = 150;
/** Longer than the reference service's flag poll (about 5 s), so each stage has canary data. */
const WINDOW_SECONDS = 8;
const SEVERE_WINDOW_SECONDS = 15;
const SEVERE_TRIALS = 3;
const MARGINAL_WINDOW_SECONDS = 8;
const SCRAPE_SECONDS = 1;

const verdict = (ok: boolean): string => (ok ? "PASS" : "MISS");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthyNoisyRun(world: RolloutWorld): Promise<boolean> {
  // Noise: both variants answer 0.3 % 5xx and the canary 3 % 4xx (not errors).
  world.app.setFaults("canary", { errorPercent: 0.3, clientErrorPercent: 3, latencyMs: 0 });
  world.app.setFaults("stable", { errorPercent: 0.3, clientErrorPercent: 0, latencyMs: 0 });
  const cfg = worldConfig(world, WINDOW_SECONDS, 10);
  const { result, startedMs, endedMs } = await runWorldRollout(
    world,
    cfg,
    0,
    Date.now() - 3600_000,
    (l) => process.stderr.write(`  ${l}\n`),
  );
  const windows = result.stages.filter((s) => s.percentage > 0).length * WINDOW_SECONDS;
  const ratio = (endedMs - startedMs) / 1000 / windows;
  const falseRollbacks = result.breach !== undefined ? 1 : 0;
  console.log(
    `healthy noisy rollout 0 -> 100 %: exit ${result.exitCode}, ${result.stages.length} stages, ${((endedMs - startedMs) / 1000).toFixed(2)} s for ${windows} s of windows`,
  );
  console.log(
    `  total time / sum of windows: ${ratio.toFixed(3)} (target <= 1.02) ${verdict(ratio <= 1.02 && result.exitCode === 0)}`,
  );
  console.log(`  false rollbacks: ${falseRollbacks} (target 0) ${verdict(falseRollbacks === 0)}`);
  if (result.exitCode !== 0) console.log(`  stopped: ${result.message}`);
  return ratio <= 1.02 && falseRollbacks === 0 && result.exitCode === 0;
}

async function severeTrial(world: RolloutWorld): Promise<number | undefined> {
  world.app.setFaults("canary", NO_FAULTS);
  world.app.setFaults("stable", NO_FAULTS);
  const cfg = worldConfig(world, SEVERE_WINDOW_SECONDS, 10);
  let onsetMs = 0;
  const fault = (async () => {
    await sleep(2000 + Math.random() * 1000);
    onsetMs = Date.now();
    world.app.setFaults("canary", { errorPercent: 100, clientErrorPercent: 0, latencyMs: 0 });
  })();
  const { result } = await runWorldRollout(world, cfg, 25, Date.now());
  await fault;
  world.app.setFaults("canary", NO_FAULTS);
  const b = result.breach;
  if (b === undefined || b.check !== "severe error rate") {
    console.log(
      `  severe breach NOT caught by the fast path (exit ${result.exitCode}: ${result.message})`,
    );
    return undefined;
  }
  return (b.detectedMs - onsetMs) / 1000 / SCRAPE_SECONDS;
}

async function severeBreach(world: RolloutWorld): Promise<boolean> {
  const intervals: number[] = [];
  for (let i = 0; i < SEVERE_TRIALS; i++) {
    const x = await severeTrial(world);
    if (x === undefined) return false;
    intervals.push(x);
    await sleep(3000); // let the short window forget the breach
  }
  const sorted = [...intervals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `severe breach (canary 100 % 5xx at 25 %), onset -> rollback decision in scrape intervals: ${intervals.map((x) => x.toFixed(2)).join(", ")}; median ${median.toFixed(2)} (target <= 3) ${verdict(median <= 3)}`,
  );
  return median <= 3;
}

async function marginalBreach(world: RolloutWorld): Promise<boolean> {
  world.app.setFaults("stable", NO_FAULTS);
  world.app.setFaults("canary", { errorPercent: 1.2, clientErrorPercent: 0, latencyMs: 0 });
  const cfg = worldConfig(world, MARGINAL_WINDOW_SECONDS, 10);
  const liveSinceMs = Date.now();
  const { result } = await runWorldRollout(world, cfg, 75, liveSinceMs);
  world.app.setFaults("canary", NO_FAULTS);
  const b = result.breach;
  if (b === undefined) {
    console.log(
      `marginal 1.2x breach: NOT rolled back (exit ${result.exitCode}: ${result.message}) MISS`,
    );
    return false;
  }
  const atSeconds = (b.detectedMs - liveSinceMs) / 1000;
  const atEnd = atSeconds >= MARGINAL_WINDOW_SECONDS;
  console.log(
    `marginal breach (canary 1.2 % 5xx, threshold 1 %, at 75 %): ${b.check} (${b.value}) rolled back at ${atSeconds.toFixed(2)} s of the ${MARGINAL_WINDOW_SECONDS} s window; only at the window's end: ${atEnd ? "yes" : "no"} ${verdict(atEnd)}`,
  );
  return atEnd;
}

async function run(): Promise<void> {
  const world = await startRolloutWorld(LOAD_PER_SECOND);
  try {
    process.stderr.write(
      `warming up: ${WINDOW_SECONDS + 1} s of scrapes before the first decision...\n`,
    );
    await waitForScrapes(world, WINDOW_SECONDS + 1);
    const results = [await healthyNoisyRun(world), await severeBreach(world)];
    await sleep(3000);
    results.push(await marginalBreach(world));
    process.exitCode = results.every(Boolean) ? 0 : 1;
  } finally {
    await world.stop();
  }
}

run().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
