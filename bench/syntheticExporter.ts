/**
 * A synthetic application exporter for `npm run bench:gate`, run as its own process (as the
 * real service is) so that rendering thousands of series never competes with the gate's
 * client for the benchmark's event loop. Argument: the number of paths, or `grafana` to
 * answer Grafana's /api/health instead (Grafana has no Debian package). Sends the port it
 * listens on (127.0.0.1, random) to its parent over IPC.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

/** Histogram bucket edges, one of them at the 500 ms latency threshold. */
export const LE = [
  "0.005",
  "0.01",
  "0.025",
  "0.05",
  "0.1",
  "0.25",
  "0.5",
  "1",
  "2.5",
  "5",
  "10",
  "+Inf",
];
/** Series per path: 2 codes x 2 variants counters, and per variant the buckets, sum, count. */
export const SERIES_PER_PATH = 4 + 2 * (LE.length + 2);

/** The exposition text for `paths` paths at `t` seconds since start (counters grow). */
export function exposition(paths: number, t: number): string {
  const lines: string[] = [];
  const total = Math.floor(t * 10);
  for (let p = 0; p < paths; p++) {
    for (const variant of ["stable", "canary"]) {
      lines.push(`http_requests_total{code="200",path="/p${p}",variant="${variant}"} ${total}`);
      lines.push(`http_requests_total{code="500",path="/p${p}",variant="${variant}"} 0`);
      LE.forEach((le, i) => {
        const n = le === "+Inf" ? total : Math.floor(total * Math.min(1, (i + 1) / 6));
        lines.push(
          `http_request_duration_seconds_bucket{le="${le}",path="/p${p}",variant="${variant}"} ${n}`,
        );
      });
      lines.push(
        `http_request_duration_seconds_sum{path="/p${p}",variant="${variant}"} ${total * 0.05}`,
      );
      lines.push(
        `http_request_duration_seconds_count{path="/p${p}",variant="${variant}"} ${total}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

if (require.main === module) {
  const grafana = process.argv[2] === "grafana";
  const paths = grafana ? 0 : Number(process.argv[2]);
  if (!grafana && (!Number.isInteger(paths) || paths < 1)) {
    console.error(
      `syntheticExporter: the argument must be a positive number of paths or "grafana"; got ${process.argv[2]}`,
    );
    process.exit(64);
  }
  const started = Date.now();
  const server = http.createServer((req, res) => {
    if (grafana) {
      res.setHeader("content-type", "application/json");
      res.end('{"commit":"bench","database":"ok","version":"11.3.0"}');
      return;
    }
    if (req.url === "/health") {
      res.end('{"status":"ok"}');
      return;
    }
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(exposition(paths, (Date.now() - started) / 1000));
  });
  server.listen(0, "127.0.0.1", () => {
    process.send?.((server.address() as AddressInfo).port);
  });
  // Ends with the benchmark: the parent closing the IPC channel stops this process.
  process.on("disconnect", () => server.close(() => process.exit(0)));
}
