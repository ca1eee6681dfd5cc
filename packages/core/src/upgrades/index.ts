export * from "./attempts";
export * from "./maintenance-route";
export * from "./on-push";
export * from "./report";
export * from "./state";
export * from "./targets";
