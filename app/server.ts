/**
 * The reference service: serves each request as stable or canary per the rollout flag
 * (OpenFeature, flagd provider in in-process offline-file mode reading the rendered flag
 * file), exports `http_requests_total{code,variant}` and `http_request_duration_seconds`
 * (a bucket edge exactly at the latency threshold), `/health` and `/metrics`, and lets the
 * canary misbehave on purpose (environment variables, or POST /admin/faults from loopback).
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { OpenFeature, Client } from "@openfeature/server-sdk";
import { FlagdProvider } from "@openfeature/flagd-provider";
import { Counter, Histogram, Registry } from "prom-client";
import { FaultSchedule, Faults, NO_FAULTS } from "./faults";

/** The flag key (core/render/flagdFlags.ts renders it). */
const FLAG_KEY = "genesis-rollout";
/** The variants the flag serves. */
export type Variant = "stable" | "canary";

/** Options of {@link startApp}. */
export interface AppOptions {
  /** The rendered flagd flag file. */
  readonly flagFile: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Address to listen on. @default "127.0.0.1" */
  readonly host?: string;
  /** The P95 latency threshold in seconds; a histogram bucket edge sits exactly there. @default 0.5 */
  readonly latencyThresholdSeconds?: number;
  /** Faults per variant at start. @default no faults */
  readonly faults?: Partial<Record<Variant, Faults>>;
  /** A name for this instance's OpenFeature domain (several apps may share a process). */
  readonly name?: string;
}

/** A running reference service. */
export interface RunningApp {
  /** The port it listens on. */
  readonly port: number;
  /** `127.0.0.1:<port>`: the instance label Prometheus gives it. */
  readonly instance: string;
  /** Replaces the faults of one variant. */
  setFaults(variant: Variant, faults: Faults): void;
  /** Stops the server and the flag provider. */
  stop(): Promise<void>;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The histogram buckets: the defaults plus the threshold itself, ascending. */
export function latencyBuckets(thresholdSeconds: number): number[] {
  return [...new Set([...DEFAULT_BUCKETS, thresholdSeconds])].sort((a, b) => a - b);
}

/** Starts the service. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const registry = new Registry();
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests served, by status code and rollout variant.",
    labelNames: ["code", "variant"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds, by rollout variant.",
    labelNames: ["variant"] as const,
    buckets: latencyBuckets(options.latencyThresholdSeconds ?? 0.5),
    registers: [registry],
  });
  const faults: Record<Variant, Faults> = {
    stable: options.faults?.stable ?? NO_FAULTS,
    canary: options.faults?.canary ?? NO_FAULTS,
  };
  const schedules: Record<Variant, FaultSchedule> = {
    stable: new FaultSchedule(),
    canary: new FaultSchedule(),
  };

  const domain = `genesis-app-${options.name ?? "default"}-${process.pid}-${Math.random()}`;
  const provider = new FlagdProvider({
    resolverType: "in-process",
    offlineFlagSourcePath: options.flagFile,
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  const client: Client = OpenFeature.getClient(domain);

  const variantOf = async (user: string | undefined): Promise<Variant> => {
    const value = await client.getStringValue(FLAG_KEY, "stable", {
      ...(user !== undefined ? { targetingKey: user } : {}),
    });
    return value === "canary" ? "canary" : "stable";
  };

  const isLoopback = (req: http.IncomingMessage): boolean =>
    ["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? "");

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://app");
    if (url.pathname === "/health") {
      res.setHeader("content-type", "application/json");
      res.end('{"status":"ok"}');
      return;
    }
    if (url.pathname === "/metrics") {
      res.setHeader("content-type", registry.contentType);
      res.end(await registry.metrics());
      return;
    }
    if (url.pathname === "/admin/faults" && req.method === "POST") {
      if (!isLoopback(req)) {
        res.statusCode = 403;
        res.end("admin endpoint is loopback only\n");
        return;
      }
      let body = "";
      for await (const chunk of req) body += String(chunk);
      const parsed = JSON.parse(body) as { variant: Variant } & Partial<Faults>;
      faults[parsed.variant] = { ...NO_FAULTS, ...parsed };
      res.end(`${JSON.stringify(faults)}\n`);
      return;
    }
    const started = process.hrtime.bigint();
    const user = (req.headers["x-user-id"] as string | undefined) ?? url.searchParams.get("user");
    const variant = await variantOf(user ?? undefined);
    const f = faults[variant];
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    const code = schedules[variant].next(f);
    res.statusCode = code;
    res.setHeader("x-variant", variant);
    res.end(code === 200 ? `hello from ${variant}\n` : `fault ${code} from ${variant}\n`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    requests.inc({ code: String(code), variant });
    duration.observe({ variant }, seconds);
  }

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    instance: `${host}:${port}`,
    setFaults(variant, next) {
      faults[variant] = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.onClose();
    },
  };
}
