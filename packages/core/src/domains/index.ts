export { servesHost } from "./ask";
export { applyBaseUrl, domainUrl } from "./base-url";
export * from "./dns";
export * from "./domains";
export * from "./names";
