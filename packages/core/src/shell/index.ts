export * from "./sessions";
export * from "./socket-url";
export * from "./ticket";
