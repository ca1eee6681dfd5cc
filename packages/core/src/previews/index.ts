export { closePreview } from "./close";
export { previewsOverLimit } from "./limit";
export { forkBranchName, isFork, openPreview } from "./open";
export * from "./queries";
export {
  forkPreviewOf,
  openPreviewOf,
  previewComment,
  previewEnvironment,
  retirePreviewOnGithub,
  upsertPreviewComment,
} from "./report";
