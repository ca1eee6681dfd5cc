/**
 * The work's value, or undefined when the file or directory it reads does not exist (ENOENT).
 * Any other failure (permissions, a file where a directory was expected) propagates: only
 * absence is an expected answer.
 */
export async function ifExists<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return undefined;
    throw error;
  }
}
