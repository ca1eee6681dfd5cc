export * from "./branches";
export * from "./collaborators";
export * from "./input";
export * from "./invitations";
export * from "./invitations-token";
export { removeProjectLeftovers } from "./leftovers";
export * from "./projects";
export type { ProjectTeardown } from "./teardown";
