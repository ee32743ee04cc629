/**
 * Entry point of the reference service's container. Environment:
 * FLAG_FILE (the rendered flagd flag file), PORT (8080), HOST (0.0.0.0),
 * LATENCY_THRESHOLD_SECONDS (0.5), and CANARY_ERROR_PERCENT, CANARY_CLIENT_ERROR_PERCENT,
 * CANARY_LATENCY_MS (and the same with STABLE_) to inject faults.
 */
import { faultsFromEnv } from "./faults";
import { startApp } from "./server";

async function run(): Promise<void> {
  const env = process.env;
  const app = await startApp({
    flagFile: env.FLAG_FILE ?? "/etc/genesis/flags.json",
    port: Number(env.PORT ?? "8080"),
    host: env.HOST ?? "0.0.0.0",
    latencyThresholdSeconds: Number(env.LATENCY_THRESHOLD_SECONDS ?? "0.5"),
    faults: { stable: faultsFromEnv(env, "STABLE_"), canary: faultsFromEnv(env, "CANARY_") },
  });
  console.log(`genesis-app listening on ${app.port}`);
  const stop = () => {
    void app.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

run().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
