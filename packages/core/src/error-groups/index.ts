export * from "./flaky";
export * from "./on-new-group";
export * from "./queries";
export * from "./record";
export * from "./scan-state";
