import { stat } from "node:fs/promises";

/** Whether anything (file, folder, link target) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
