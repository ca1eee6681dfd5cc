export * from "./actor";
export { type Auth, auth } from "./better-auth";
export * from "./client-ip";
export * from "./first-admin";
export { handleAuthRequest } from "./handler";
export * from "./lockout";
export * from "./users";
