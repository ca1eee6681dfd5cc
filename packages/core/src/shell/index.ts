export * from "./grant-logs";
export * from "./sessions";
export * from "./socket-url";
export * from "./ticket";
