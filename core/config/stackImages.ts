/**
 * The container images a stack runs, by the config key that pins each: what the security
 * gate scans for critical CVEs (.github/workflows/production-deploy.yml). Pure.
 */
import { StackConfig } from "./stackConfig";

/** The config keys of the images, in the order the workflow scans them. */
export const IMAGE_KEYS = Object.freeze([
  "prometheusImage",
  "grafanaImage",
  "alertmanagerImage",
  "nodeExporterImage",
  "flagdImage",
  "appImage",
] as const);

/** One of {@link IMAGE_KEYS}. */
export type ImageKey = (typeof IMAGE_KEYS)[number];

/**
 * Each image key with the image stack `config` runs; the reference service's (`appImage`) is
 * the empty string unless `genesis:appEnabled`, since the stack then runs no such container.
 */
export function stackImages(config: StackConfig): Readonly<Record<ImageKey, string>> {
  const i = config.monitoring.images;
  return {
    prometheusImage: i.prometheus,
    grafanaImage: i.grafana,
    alertmanagerImage: i.alertmanager,
    nodeExporterImage: i.nodeExporter,
    flagdImage: i.flagd,
    appImage: config.app.enabled ? i.app : "",
  };
}
