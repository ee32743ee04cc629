/** The Kubernetes platform: the monitoring stack and flagd in one restricted namespace. */
import {
  kubernetesMonitoringView,
  kubernetesRolloutDeliveryView,
} from "../../core/config/componentViews";
import { RolloutPlatform } from "../rolloutPlatform";
import { KubernetesMonitoringStack } from "./monitoringStack";
import { KubernetesRolloutDelivery } from "./rolloutDelivery";

/** The Kubernetes platform (`genesis:platform: kubernetes`). */
export const kubernetesPlatform: RolloutPlatform = {
  deployMonitoring: (name, { config, secrets }, opts) =>
    new KubernetesMonitoringStack(name, { view: kubernetesMonitoringView(config), secrets }, opts),
  // flagd runs in the monitoring stack's namespace, which its view names.
  deliverRollout: (name, { config, percentage }, opts) =>
    new KubernetesRolloutDelivery(
      name,
      { view: kubernetesRolloutDeliveryView(config), percentage },
      opts,
    ),
};
