/**
 * Lays out every file the stack places into its containers as one directory tree, for
 * `genesis render`: `<service host>/<path in its config dir>`, taken from the same container
 * specs the components place, so the tree is what the stack deploys. Secrets stay references.
 */
import { StackConfig } from "../config/stackConfig";
import {
  ContainerSpec,
  monitoringContainerSpecs,
  rolloutContainerSpecs,
  SecretName,
} from "../monitoring/containerSpecs";
import { renderFlagdFlags } from "./flagdFlags";

/** A rendered file in the tree. */
export interface LaidOutFile {
  /** Its path in the tree, e.g. `prometheus/rules/genesis-slo.yml`. */
  readonly path: string;
  /** Its text. */
  readonly content: string;
}

/** A secret the stack places as a file: where, and which config key holds its value. */
export interface SecretFileReference {
  /** Where it would be in the tree (nothing is written there). */
  readonly path: string;
  /** Where the container reads it. */
  readonly containerPath: string;
  /** The stack secret. */
  readonly secret: SecretName;
}

/** The whole tree: files to write and secrets only referenced. */
export interface StackLayout {
  /** Files, sorted by path. */
  readonly files: readonly LaidOutFile[];
  /** Secret files, sorted by path; their values are never part of the layout. */
  readonly secrets: readonly SecretFileReference[];
}

/**
 * Lays out the files of `specs` (from monitoringContainerSpecs and rolloutContainerSpecs).
 * `rolloutFlags` is the flagd flag file's text (renderFlagdFlags of the percentage to show),
 * needed when a spec places it.
 */
export function layoutStackFiles(
  specs: readonly ContainerSpec[],
  rolloutFlags?: string,
): StackLayout {
  const files: LaidOutFile[] = [];
  const secrets: SecretFileReference[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const config = spec.config;
    if (config === undefined) continue;
    for (const f of config.files) {
      if (f.path.startsWith("/") || f.path.split("/").includes("..")) {
        throw new Error(
          `${spec.containerName}: file path must be relative to ${config.dir} without ..; got "${f.path}"`,
        );
      }
      const path = `${spec.service.host}/${f.path}`;
      if (seen.has(path)) throw new Error(`two files would be rendered to ${path}`);
      seen.add(path);
      if ("secret" in f) {
        secrets.push({ path, containerPath: `${config.dir}/${f.path}`, secret: f.secret });
      } else if ("content" in f) {
        files.push({ path, content: f.content });
      } else if (rolloutFlags !== undefined) {
        files.push({ path, content: rolloutFlags });
      } else {
        throw new Error(`${spec.containerName}: ${f.path} needs the rendered rollout flags`);
      }
    }
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
  return { files: files.sort(byPath), secrets: secrets.sort(byPath) };
}

/**
 * Every file of stack `config`: the monitoring and rollout containers' specs, with the flag
 * file at the configured percentage (the deployed one follows the gate's live percentage).
 */
export function stackFileLayout(config: StackConfig): StackLayout {
  return layoutStackFiles(
    [...monitoringContainerSpecs(config), ...rolloutContainerSpecs(config)],
    renderFlagdFlags(config.rollout.percentage),
  );
}
