/**
 * Which alerts block a promotion, and how Alertmanager's answer about the alerts firing now
 * is read. Pure: the provider and the CLI fetch `/api/v2/alerts`; this module parses it.
 *
 * Every alert of this stack's rule groups counts (core/render/prometheusRules.ts: the SLO
 * group `genesis-slo` and the monitoring stack's own group `genesis-monitoring`): an SLO alert
 * means the stage is unhealthy, and an alert about the monitoring stack means the gate cannot
 * trust what it measures, so neither may promote. Alerts of other names (other rule files
 * sending to the same Alertmanager) are not the rollout's and do not block. Alertmanager is
 * asked for active alerts that are neither silenced nor inhibited: a silence is an operator's
 * recorded decision that an alert does not matter now.
 */

/**
 * The alert names of this stack's rule groups, SLO alerts first: the same list as
 * `RENDERED_ALERT_NAMES` (core/render/prometheusRules.ts; a test keeps them equal), held here
 * so the gate provider's serialized code does not carry the rule renderer.
 */
export const GATE_ALERT_NAMES: readonly string[] = Object.freeze([
  "GenesisErrorRateHigh",
  "GenesisErrorRateSevere",
  "GenesisLatencyP95High",
  "GenesisHealthCheckFailing",
  "GenesisMonitoringTargetDown",
  "GenesisAlertmanagerNotificationsFailing",
  "GenesisAlertmanagerUnreachable",
]);

/** Alertmanager's API v2 path for alerts, and the filter the gate asks with. */
export const ALERTMANAGER_ALERTS_PATH = "/api/v2/alerts";

/** The query parameters of the gate's alert request: active, not silenced, not inhibited. */
export const ALERTMANAGER_ALERTS_PARAMS: Readonly<Record<string, string>> = Object.freeze({
  active: "true",
  silenced: "false",
  inhibited: "false",
});

/** One alert Alertmanager reports active. */
export interface ActiveAlert {
  /** Its `alertname` label. */
  readonly name: string;
  /** When it started firing, as Alertmanager says (ISO 8601), or `""` when not given. */
  readonly startsAt: string;
}

/** Alertmanager's answer about active alerts: the alerts, or why there is none to read. */
export type ActiveAlertsOutcome =
  | { readonly kind: "alerts"; readonly alerts: readonly ActiveAlert[] }
  | { readonly kind: "error"; readonly reason: string };

/** The start of an unexpected body, for a reason. */
function shown(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const flat = (text ?? String(body)).trim().replace(/\s+/g, " ");
  if (flat === "") return "an empty body";
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}

/**
 * Reads Alertmanager's answer to `GET /api/v2/alerts`: HTTP 200 with a JSON array whose
 * every element has a `labels` object with a string `alertname`. Anything else is an error
 * (a malformed answer never passes as "no alerts").
 */
export function parseAlertmanagerAlerts(status: number, body: unknown): ActiveAlertsOutcome {
  const where = `Alertmanager ${ALERTMANAGER_ALERTS_PATH}`;
  if (status !== 200) {
    return { kind: "error", reason: `${where} answered HTTP ${status}; expected 200` };
  }
  if (!Array.isArray(body)) {
    return {
      kind: "error",
      reason: `${where} answered HTTP 200 with a body that is not a JSON array: ${shown(body)}`,
    };
  }
  const alerts: ActiveAlert[] = [];
  for (const [i, item] of body.entries()) {
    const labels = (item as { labels?: unknown } | null)?.labels;
    const name = (labels as { alertname?: unknown } | null | undefined)?.alertname;
    if (typeof labels !== "object" || labels === null || typeof name !== "string") {
      return {
        kind: "error",
        reason: `${where} answered an alert (#${i + 1}) without a string labels.alertname: ${shown(item)}`,
      };
    }
    const startsAt = (item as { startsAt?: unknown }).startsAt;
    alerts.push({ name, startsAt: typeof startsAt === "string" ? startsAt : "" });
  }
  return { kind: "alerts", alerts };
}
