export * from "./board";
export * from "./gone";
export * from "./merge";
export * from "./move";
export * from "./rules";
export * from "./settings";
