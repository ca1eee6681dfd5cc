export * from "./access";
export * from "./command";
export * from "./keys";
export * from "./public-key";
