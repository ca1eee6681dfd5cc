export * from "./access";
export * from "./keys";
export * from "./public-key";
