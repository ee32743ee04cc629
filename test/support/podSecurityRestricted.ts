/**
 * The Pod Security Standards' "restricted" and "baseline" controls, checked on a pod spec
 * the way Pod Security Admission checks them (Kubernetes documentation, "Pod Security
 * Standards"), so a test can show which controls a pod breaks. Test support only: the
 * policy pack judges the same resources with its own rules.
 */

type Obj = Record<string, unknown>;

/** Volume types the restricted profile allows. */
const RESTRICTED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

function containersOf(pod: Obj): Obj[] {
  return [
    ...((pod.initContainers as Obj[] | undefined) ?? []),
    ...((pod.containers as Obj[] | undefined) ?? []),
    ...((pod.ephemeralContainers as Obj[] | undefined) ?? []),
  ];
}

/**
 * Every control of the baseline profile that `pod` breaks, one line each. Stricter than the
 * standard in one place: any added capability is reported (baseline allows a default set,
 * restricted only NET_BIND_SERVICE); this stack adds none.
 */
export function baselineViolations(pod: Obj): string[] {
  const v: string[] = [];
  if (pod.hostNetwork === true) v.push("hostNetwork");
  if (pod.hostPID === true) v.push("hostPID");
  if (pod.hostIPC === true) v.push("hostIPC");
  for (const vol of (pod.volumes as Obj[] | undefined) ?? []) {
    if ("hostPath" in vol) v.push(`hostPath volume ${String(vol.name)}`);
  }
  for (const c of containersOf(pod)) {
    const sc = (c.securityContext as Obj | undefined) ?? {};
    if (sc.privileged === true) v.push(`${String(c.name)}: privileged`);
    for (const p of (c.ports as Obj[] | undefined) ?? []) {
      if (p.hostPort !== undefined && p.hostPort !== 0) v.push(`${String(c.name)}: hostPort`);
    }
    const add = ((sc.capabilities as Obj | undefined)?.add as string[] | undefined) ?? [];
    if (add.length > 0) v.push(`${String(c.name)}: capabilities.add ${add.join(",")}`);
  }
  return v;
}

/** Every control of the restricted profile (baseline included) that `pod` breaks. */
export function restrictedViolations(pod: Obj): string[] {
  const v = baselineViolations(pod);
  for (const vol of (pod.volumes as Obj[] | undefined) ?? []) {
    const type = Object.keys(vol).find((k) => k !== "name");
    if (type !== "hostPath" && (type === undefined || !RESTRICTED_VOLUME_TYPES.has(type))) {
      v.push(`volume ${String(vol.name)} of type ${String(type)}`);
    }
  }
  const podSc = (pod.securityContext as Obj | undefined) ?? {};
  for (const c of containersOf(pod)) {
    const sc = (c.securityContext as Obj | undefined) ?? {};
    const name = String(c.name);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${name}: allowPrivilegeEscalation`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) v.push(`${name}: runAsNonRoot`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) v.push(`${name}: runAsUser 0`);
    const seccomp = ((sc.seccompProfile ?? podSc.seccompProfile) as Obj | undefined)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") v.push(`${name}: seccomp`);
    const drop = ((sc.capabilities as Obj | undefined)?.drop as string[] | undefined) ?? [];
    if (!drop.includes("ALL")) v.push(`${name}: capabilities.drop ALL`);
  }
  return v;
}
