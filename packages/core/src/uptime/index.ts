export * from "./arithmetic";
export * from "./events";
export * from "./record";
export * from "./settings";
export * from "./status";
export * from "./targets";
