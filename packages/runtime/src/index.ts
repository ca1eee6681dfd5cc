export { containerCreateOptions, DEFAULT_PIDS_LIMIT } from "./container-config";
export { createRuntime, type RuntimeSettings, runtimeFromConfig } from "./create-runtime";
export { dockerOptionsFromHost } from "./docker-host";
export { DockerRuntime, type DockerRuntimeOptions } from "./docker-runtime";
export { statusOf } from "./engine-errors";
export {
  buildImageLabels,
  buildLabels,
  InvalidLabelError,
  managedFilters,
  managedImageLabel,
  managedLabel,
  type OwnerLabels,
} from "./labels";
export { SINGLE_HOST_POOL } from "./local-node";
export { collectLines, DemuxLines, RawLines } from "./log-lines";
export { assertContainerName, InvalidNameError, isValidContainerName } from "./names";
export {
  bridgeName,
  EGRESS_BRIDGE_PREFIX,
  ISOLATED_BRIDGE_PREFIX,
  type NetworkInfo,
  type NetworkSpec,
} from "./networks";
export { NodeAvailabilityRefused } from "./nodes";
export { summarizeStats, usageOf } from "./stats";
export { POOL_NODE_LABEL } from "./swarm/service-spec";
export { SwarmRuntime, type SwarmRuntimeOptions } from "./swarm/swarm-runtime";
export * from "./types";
