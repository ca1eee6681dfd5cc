import { config } from "@gantry/config";

/** An address of this Gantry as people and GitHub reach it (PUBLIC_URL, so it works behind the proxy). */
export function publicUrl(path: string): string {
  return `${config().PUBLIC_URL.replace(/\/+$/, "")}${path}`;
}
