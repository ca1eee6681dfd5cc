import { config } from "@gantry/config";
import { type ProjectTeardown, removeProjectLeftovers } from "@gantry/core";
import { DockerRuntime } from "@gantry/runtime";

/**
 * Deleting a project removes every container labelled with it, then its databases and roles on
 * every build server, its work trees and filestores, and its routes (removeProjectLeftovers).
 */
export function projectTeardown(): ProjectTeardown {
  return {
    removeContainers: (projectId) =>
      new DockerRuntime({ host: config().DOCKER_HOST }).removeManaged({ project: projectId }),
    dropDatabases: (projectId) => removeProjectLeftovers(projectId),
  };
}
