import { deepStrictEqual, throws } from "node:assert/strict";
import * as YAML from "yaml";
import { adaptPrometheusConfigForKubernetes } from "../../../core/kubernetes/prometheusConfig";
import { renderPrometheusConfig } from "../../../core/render/prometheusConfig";
import { stagingKubernetes } from "./fixtures";

type Doc = { scrape_configs: Record<string, unknown>[] } & Record<string, unknown>;

describe("adaptPrometheusConfigForKubernetes", () => {
  it("finds every Node Exporter pod by DNS and leaves everything else as rendered", () => {
    const rendered = renderPrometheusConfig(stagingKubernetes());
    const adapted = YAML.parse(
      adaptPrometheusConfigForKubernetes(rendered, "node-exporter.obs.svc"),
    ) as Doc;
    const original = YAML.parse(rendered) as Doc;
    const index = original.scrape_configs.findIndex((j) => j.job_name === "node-exporter");
    deepStrictEqual(adapted.scrape_configs[index], {
      job_name: "node-exporter",
      metrics_path: "/metrics",
      dns_sd_configs: [
        { names: ["node-exporter.obs.svc"], type: "A", port: 9100, refresh_interval: "30s" },
      ],
    });
    adapted.scrape_configs.splice(index, 1);
    original.scrape_configs.splice(index, 1);
    deepStrictEqual(adapted, original);
  });

  it("refuses a file without the Node Exporter job", () => {
    throws(() => adaptPrometheusConfigForKubernetes("scrape_configs: []\n", "x"), {
      message: 'prometheus.yml has no scrape job "node-exporter" to adapt',
    });
  });
});
