export * from "./errors";
export * from "./health";
export * from "./access";
export * from "./audit";
export * from "./auth";
export * from "./projects";
export * from "./tokens";
