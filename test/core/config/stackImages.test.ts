import { deepStrictEqual } from "node:assert/strict";
import { DEFAULT_IMAGES } from "../../../core/config/configKeys";
import { stackImages } from "../../../core/config/stackImages";
import { completedStack } from "../../support/stacks";

describe("stackImages", () => {
  it("names every image the stack runs by its config key; the app's only when enabled", () => {
    deepStrictEqual(stackImages(completedStack("staging", { appEnabled: false })), {
      prometheusImage: DEFAULT_IMAGES.prometheusImage,
      grafanaImage: DEFAULT_IMAGES.grafanaImage,
      alertmanagerImage: DEFAULT_IMAGES.alertmanagerImage,
      nodeExporterImage: DEFAULT_IMAGES.nodeExporterImage,
      flagdImage: DEFAULT_IMAGES.flagdImage,
      appImage: "",
    });
    deepStrictEqual(
      stackImages(
        completedStack("staging", { appEnabled: true, grafanaImage: "grafana/grafana:11.4.0" }),
      ),
      {
        prometheusImage: DEFAULT_IMAGES.prometheusImage,
        grafanaImage: "grafana/grafana:11.4.0",
        alertmanagerImage: DEFAULT_IMAGES.alertmanagerImage,
        nodeExporterImage: DEFAULT_IMAGES.nodeExporterImage,
        flagdImage: DEFAULT_IMAGES.flagdImage,
        appImage: DEFAULT_IMAGES.appImage,
      },
    );
  });
});
