export * from "./branches";
export * from "./collaborators";
export * from "./input";
export * from "./invitations";
export * from "./invitations-token";
export * from "./network";
export * from "./projects";
export { type DeletionReport, type ProjectTeardown, teardownProject } from "./teardown";
