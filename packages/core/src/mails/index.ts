export * from "./credentials";
export * from "./queries";
export * from "./store";
