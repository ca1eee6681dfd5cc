export * from "./manifest";
export * from "./python-literal";
export * from "./series";
export * from "./version";
