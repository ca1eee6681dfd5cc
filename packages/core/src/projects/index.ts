export * from "./branches";
export * from "./collaborators";
export * from "./input";
export * from "./projects";
export type { ProjectTeardown } from "./teardown";
