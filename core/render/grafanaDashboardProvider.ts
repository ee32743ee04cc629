/**
 * Renders Grafana's dashboard provisioning: one file provider that loads the rollout
 * dashboards from the directory the stack places them in, read-only in the UI.
 */
import * as YAML from "yaml";

/** The Grafana folder the provisioned dashboards appear in. */
export const DASHBOARD_FOLDER = "Genesis";

/** Renders provisioning/dashboards/genesis.yml; `dashboardsDir` as Grafana sees it. */
export function renderGrafanaDashboardProvider(dashboardsDir: string): string {
  const doc = {
    apiVersion: 1,
    providers: [
      {
        name: "genesis",
        orgId: 1,
        folder: DASHBOARD_FOLDER,
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: dashboardsDir, foldersFromFilesStructure: false },
      },
    ],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
