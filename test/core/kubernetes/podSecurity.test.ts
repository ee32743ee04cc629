import { deepStrictEqual, throws } from "node:assert/strict";
import {
  podSecurityLabels,
  podUser,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "../../../core/kubernetes/podSecurity";

describe("podSecurity", () => {
  it("labels a namespace for one level, pinned to the cluster's own standard", () => {
    deepStrictEqual(podSecurityLabels("restricted"), {
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
  });

  it("can enforce one level and report a stricter one", () => {
    const labels = podSecurityLabels("privileged", "baseline");
    deepStrictEqual(
      [
        labels["pod-security.kubernetes.io/enforce"],
        labels["pod-security.kubernetes.io/audit"],
        labels["pod-security.kubernetes.io/warn"],
      ],
      ["privileged", "baseline", "baseline"],
    );
  });

  const users: [string, { uid: number; gid: number }][] = [
    ["65534:65534", { uid: 65534, gid: 65534 }],
    ["472:0", { uid: 472, gid: 472 }],
    ["65532:65532", { uid: 65532, gid: 65532 }],
  ];
  for (const [user, expected] of users) {
    it(`runs ${user} as ${expected.uid}:${expected.gid} (never a root group)`, () => {
      deepStrictEqual(podUser(user), expected);
    });
  }

  it("refuses root and names the value", () => {
    throws(() => podUser("0:0"), { message: 'user must not be root (uid 0); got "0:0"' });
    throws(() => podUser("nobody"), {
      message: 'user must be uid:gid with numeric ids; got "nobody"',
    });
  });

  it("builds the restricted pod and container contexts", () => {
    deepStrictEqual(restrictedPodSecurityContext({ uid: 472, gid: 472 }), {
      runAsNonRoot: true,
      runAsUser: 472,
      runAsGroup: 472,
      fsGroup: 472,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    deepStrictEqual(restrictedContainerSecurityContext(), {
      runAsNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });
});
