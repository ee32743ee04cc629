/**
 * Pod Security for the Kubernetes platform: the namespace labels that make the API server
 * enforce a Pod Security Standard, and the pod and container security contexts that meet
 * the "restricted" standard. Pure.
 */
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";

/** The Pod Security Standards levels, least to most permissive. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** The label prefix Pod Security Admission reads. */
export const POD_SECURITY_LABEL_PREFIX = "pod-security.kubernetes.io";

/**
 * The Pod Security Admission labels of a namespace: `enforce` rejects violating pods;
 * `audit` and `warn` report violations of their (usually stricter) level without
 * rejecting, so an exception stays visible on every apply and in the audit log. Each
 * level is pinned to `latest`, the standard of the cluster's own version.
 *
 * @param enforce - The level the API server enforces.
 * @param report - The level audit and warn report against. @default enforce
 */
export function podSecurityLabels(
  enforce: PodSecurityLevel,
  report: PodSecurityLevel = enforce,
): Record<string, string> {
  return {
    [`${POD_SECURITY_LABEL_PREFIX}/enforce`]: enforce,
    [`${POD_SECURITY_LABEL_PREFIX}/enforce-version`]: "latest",
    [`${POD_SECURITY_LABEL_PREFIX}/audit`]: report,
    [`${POD_SECURITY_LABEL_PREFIX}/audit-version`]: "latest",
    [`${POD_SECURITY_LABEL_PREFIX}/warn`]: report,
    [`${POD_SECURITY_LABEL_PREFIX}/warn-version`]: "latest",
  };
}

/** A numeric user and group, as Kubernetes takes them. */
export interface PodUser {
  /** User id; never 0. */
  readonly uid: number;
  /** Group id; never 0. */
  readonly gid: number;
}

/**
 * The pod user for a catalogue user `uid:gid`. A root group (Grafana's image runs as 472:0,
 * for OpenShift-style arbitrary uids) becomes the user's own id, as Grafana's own chart does:
 * the image's files are world-readable and the data volume is group-owned through fsGroup.
 */
export function podUser(user: string): PodUser {
  const match = /^(\d+):(\d+)$/.exec(user);
  if (match === null) throw new Error(`user must be uid:gid with numeric ids; got "${user}"`);
  const uid = Number(match[1]);
  const gid = Number(match[2]);
  if (uid === 0) throw new Error(`user must not be root (uid 0); got "${user}"`);
  return { uid, gid: gid === 0 ? uid : gid };
}

/**
 * The pod-level context: non-root with explicit ids, volumes group-owned by the pod's group
 * (changed only when the volume's root does not already match), RuntimeDefault seccomp.
 */
export function restrictedPodSecurityContext(user: PodUser): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    fsGroup: user.gid,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * The container-level context every container carries, on every platform mode: what the
 * "restricted" Pod Security Standard requires (non-root, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp) plus a read-only root filesystem and no
 * privileged mode.
 */
export function restrictedContainerSecurityContext(): ISecurityContext {
  return {
    runAsNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
