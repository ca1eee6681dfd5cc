export * from "./access-lines";
export * from "./annotations";
export * from "./http-window";
export * from "./rollup";
export * from "./series";
export * from "./store";
