export * from "./imports";
export * from "./queries";
export * from "./requests";
export * from "./state";
export * from "./storage";
