export { containerCreateOptions } from "./container-config";
export { dockerOptionsFromHost } from "./docker-host";
export { DockerRuntime, type DockerRuntimeOptions } from "./docker-runtime";
export {
  buildImageLabels,
  buildLabels,
  InvalidLabelError,
  managedFilters,
  managedImageLabel,
  managedLabel,
  type OwnerLabels,
} from "./labels";
export { statusOf } from "./engine-errors";
export { collectLines, DemuxLines, RawLines } from "./log-lines";
export { assertContainerName, InvalidNameError, isValidContainerName } from "./names";
export { summarizeStats } from "./stats";
export * from "./types";
