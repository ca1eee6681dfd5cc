export * from "./changes";
export * from "./checkout-path";
export * from "./files";
export * from "./push-target";
export * from "./target";
export * from "./update-module";
