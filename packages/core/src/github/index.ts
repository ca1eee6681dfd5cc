export { webhookUrl } from "./client";
export * from "./connection";
export * from "./feedback";
export * from "./sync";
export * from "./verify";
