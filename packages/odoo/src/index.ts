export * from "./addons";
export * from "./graph";
export * from "./manifest";
export * from "./python-literal";
export * from "./series";
export * from "./template-key";
export * from "./version";
