/**
 * Docker's own rule for container names, kept strict so a name derived from a branch or
 * project can never smuggle anything else into the engine's API.
 */
const containerNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker refuses longer names in practice (they become DNS labels and hostnames). */
const maxNameLength = 128;

export class InvalidNameError extends Error {
  override readonly name = "InvalidNameError";
}

export function isValidContainerName(name: string): boolean {
  return name.length <= maxNameLength && containerNamePattern.test(name);
}

/** Returns the name when Docker would accept it, throws otherwise. */
export function assertContainerName(name: string): string {
  if (!isValidContainerName(name)) {
    throw new InvalidNameError(
      `invalid container name ${JSON.stringify(name)}: use 2-${maxNameLength} of [a-zA-Z0-9_.-], starting with a letter or digit`,
    );
  }
  return name;
}
