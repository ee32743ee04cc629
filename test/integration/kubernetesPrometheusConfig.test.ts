/**
 * The Kubernetes platform's prometheus.yml (the rendered file with Node Exporter found by
 * DNS) and helm mode's extra scrape jobs, checked by Prometheus's own `promtool check
 * config` (Prometheus 2.42).
 */
import { ok } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { kubePrometheusStackValues } from "../../core/kubernetes/kubePrometheusStack";
import { kubernetesMonitoringManifests } from "../../core/kubernetes/manifests";
import { productionKubernetes } from "../core/kubernetes/fixtures";

function checkConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "genesis-k8s-prom-"));
  try {
    const file = path.join(dir, "prometheus.yml");
    writeFileSync(file, yaml);
    const r = spawnSync("/usr/bin/promtool", ["check", "config", file], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`promtool failed:\n${r.stdout}\n${r.stderr}\n${yaml}`);
    return r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Kubernetes prometheus.yml in promtool (integration)", () => {
  it("the placed prometheus.yml passes promtool check config", () => {
    const config = productionKubernetes({ kubernetesNodeExporterHostAccess: true });
    const cm = kubernetesMonitoringManifests(config).configMaps[0];
    const out = checkConfig(cm.data!["prometheus.yml"]);
    ok(out.includes("SUCCESS"), out);
  });

  it("helm mode's additional scrape jobs pass promtool check config", () => {
    const values = kubePrometheusStackValues(productionKubernetes()) as {
      prometheus: { prometheusSpec: { additionalScrapeConfigs: unknown[] } };
    };
    const out = checkConfig(
      YAML.stringify({ scrape_configs: values.prometheus.prometheusSpec.additionalScrapeConfigs }),
    );
    ok(out.includes("SUCCESS"), out);
  });
});
