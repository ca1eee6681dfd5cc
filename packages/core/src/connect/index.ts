export * from "./connect";
export * from "./key";
