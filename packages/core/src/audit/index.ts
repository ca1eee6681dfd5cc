export * from "./actions";
export * from "./log";
