import { stat } from "node:fs/promises";
import { ifExists } from "@gantry/config";

/** Whether anything (file, folder, link target) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return (await ifExists(stat(path))) !== undefined;
}
