export { webhookUrl } from "./client";
export * from "./clone-source";
export * from "./connection";
export * from "./feedback";
export * from "./sync";
export * from "./verify";
