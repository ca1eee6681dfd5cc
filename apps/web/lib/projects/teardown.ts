import { config } from "@gantry/config";
import type { ProjectTeardown } from "@gantry/core";
import { DockerRuntime } from "@gantry/runtime";

/**
 * Deleting a project removes every container labelled with it. Branch databases are not
 * created yet by any build, so there is nothing to drop; the build pipeline adds that here.
 */
export function projectTeardown(): ProjectTeardown {
  return {
    removeContainers: (projectId) =>
      new DockerRuntime({ host: config().DOCKER_HOST }).removeManaged({ project: projectId }),
    dropDatabases: async () => [],
  };
}
