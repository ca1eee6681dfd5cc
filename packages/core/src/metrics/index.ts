export * from "./annotations";
export * from "./rollup";
export * from "./series";
export * from "./store";
