import { type ContainerRuntime, type ContainerState, statusOf } from "@gantry/runtime";

/** The container's state, or undefined when no container has that name; other engine failures propagate. */
export async function stateIfExists(
  runtime: ContainerRuntime,
  name: string,
): Promise<ContainerState | undefined> {
  try {
    return await runtime.inspect(name);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
