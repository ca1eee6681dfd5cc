export * from "./matrix";
export * from "./policy";
