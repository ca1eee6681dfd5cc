export * from "./attempts";
export * from "./maintenance-route";
export * from "./report";
export * from "./state";
export * from "./targets";
