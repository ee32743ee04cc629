import { deepStrictEqual } from "node:assert/strict";
import { healthProbeUrls } from "../../../core/gate/healthProbes";

describe("healthProbeUrls", () => {
  it("builds each probe's URL, with or without trailing slashes on the base URLs", () => {
    const expected = {
      prometheus: "http://prometheus:9090/-/healthy",
      grafana: "http://grafana:3000/api/health",
      alertmanager: "http://alertmanager:9093/-/ready",
      nodeExporter: "http://node-exporter:9100/metrics?collect[]=time",
      app: "http://app:8080/health",
    };
    for (const slash of ["", "/", "//"]) {
      deepStrictEqual(
        healthProbeUrls({
          prometheusUrl: `http://prometheus:9090${slash}`,
          grafanaUrl: `http://grafana:3000${slash}`,
          alertmanagerUrl: `http://alertmanager:9093${slash}`,
          nodeExporterUrl: `http://node-exporter:9100${slash}`,
          appHealthUrl: "http://app:8080/health",
        }),
        expected,
      );
    }
  });
});
