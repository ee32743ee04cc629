/** The Docker platform: the monitoring stack and the rollout delivery on one Docker engine. */
import { dockerMonitoringView, dockerRolloutDeliveryView } from "../../core/config/componentViews";
import { RolloutPlatform } from "../rolloutPlatform";
import { DockerMonitoringStack } from "./monitoringStack";
import { DockerRolloutDelivery } from "./rolloutDelivery";

/** The Docker platform (`genesis:platform: docker`). */
export const dockerPlatform: RolloutPlatform = {
  deployMonitoring: (name, { config, secrets }, opts) =>
    new DockerMonitoringStack(name, { view: dockerMonitoringView(config), secrets }, opts),
  deliverRollout: (name, { config, monitoring, percentage, secrets }, opts) =>
    new DockerRolloutDelivery(
      name,
      {
        view: dockerRolloutDeliveryView(config),
        networkName: monitoring.networkName,
        percentage,
        secrets,
      },
      opts,
    ),
};
