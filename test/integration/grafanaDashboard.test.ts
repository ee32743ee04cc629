/**
 * The rendered rollout dashboard, for both stacks: every datasource reference is the
 * provisioned Prometheus datasource (by its fixed uid), and every panel and annotation query
 * is valid PromQL, asked of a real Prometheus on a random loopback port (which answers 400
 * bad_data for an invalid query: the negative control shows the check can fail).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import * as YAML from "yaml";
import { renderRolloutDashboard } from "../../core/render/grafanaDashboard";
import { renderGrafanaDatasource } from "../../core/render/grafanaDatasource";
import { Service, startPrometheus } from "../support/processes";
import { completedStack, STACK_NAMES } from "../support/stacks";

interface Dashboard {
  readonly uid: string;
  readonly panels: { title: string; targets: { expr: string }[] }[];
  readonly annotations: { list: { name: string; expr: string }[] };
}

/** Every value of a `datasource` key anywhere in `node`. */
function datasourceRefs(node: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const item of node) datasourceRefs(item, found);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "datasource") found.push(value);
      else datasourceRefs(value, found);
    }
  }
  return found;
}

/** Prometheus's answer to an instant query: HTTP status and the envelope. */
async function instantQuery(prom: Service, expr: string) {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; errorType?: string; error?: string };
  return { http: res.status, status: body.status, errorType: body.errorType, error: body.error };
}

describe("rollout dashboard (integration, real Prometheus)", () => {
  let prom: Service | undefined;
  before(async () => {
    prom = await startPrometheus([]);
  });
  after(async () => {
    await prom?.stop();
  });

  it("the negative control: an invalid query is answered 400 bad_data", async () => {
    const r = await instantQuery(prom!, "sum(rate(http_requests_total[5m])");
    deepStrictEqual([r.http, r.status, r.errorType], [400, "error", "bad_data"]);
  });

  for (const stack of STACK_NAMES) {
    const dashboard = JSON.parse(renderRolloutDashboard(completedStack(stack))) as Dashboard;

    it(`${stack}: references only the provisioned datasource, by its uid`, () => {
      const provisioned = (
        YAML.parse(renderGrafanaDatasource()) as { datasources: { uid: string; type: string }[] }
      ).datasources;
      strictEqual(provisioned.length, 1);
      const refs = datasourceRefs(dashboard);
      ok(refs.length >= dashboard.panels.length * 2, `only ${refs.length} datasource references`);
      for (const ref of refs) {
        deepStrictEqual(ref, { type: provisioned[0].type, uid: provisioned[0].uid });
      }
      ok(!JSON.stringify(dashboard).includes("${DS_"), "no import-time datasource inputs");
    });

    it(`${stack}: every panel and annotation query is valid PromQL`, async () => {
      const exprs = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...dashboard.annotations.list.map((a) => a.expr),
      ];
      ok(exprs.length >= 10, `only ${exprs.length} queries`);
      for (const expr of exprs) {
        const r = await instantQuery(prom!, expr);
        deepStrictEqual([r.http, r.status, r.error], [200, "success", undefined], expr);
      }
    });
  }
});
