import { config } from "./config";
import type { Config } from "./schema";

/**
 * The origin browsers open shell sockets at: SHELL_PUBLIC_URL's, or PUBLIC_URL's host on
 * SHELL_LISTEN's port. The dashboard's Content-Security-Policy allows connecting there.
 */
export function shellSocketOrigin(
  settings: Pick<Config, "SHELL_PUBLIC_URL" | "SHELL_LISTEN" | "PUBLIC_URL"> = config(),
): string {
  const { SHELL_PUBLIC_URL, SHELL_LISTEN, PUBLIC_URL } = settings;
  if (SHELL_PUBLIC_URL) return new URL(SHELL_PUBLIC_URL).origin;
  const pub = new URL(PUBLIC_URL);
  const port = SHELL_LISTEN.slice(SHELL_LISTEN.lastIndexOf(":") + 1);
  return `${pub.protocol === "https:" ? "wss" : "ws"}://${pub.hostname}:${port}`;
}
