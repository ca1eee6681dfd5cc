import { config } from "@gantry/config";

/** The origin browsers open shell sockets at: SHELL_PUBLIC_URL, or PUBLIC_URL's host on SHELL_LISTEN's port. */
export function shellSocketOrigin(): string {
  const { SHELL_PUBLIC_URL, SHELL_LISTEN, PUBLIC_URL } = config();
  if (SHELL_PUBLIC_URL) return new URL(SHELL_PUBLIC_URL).origin;
  const pub = new URL(PUBLIC_URL);
  const port = SHELL_LISTEN.slice(SHELL_LISTEN.lastIndexOf(":") + 1);
  return `${pub.protocol === "https:" ? "wss" : "ws"}://${pub.hostname}:${port}`;
}

/** Where the browser opens the terminal of one build. */
export function shellSocketUrl(buildId: string): string {
  const base = config().SHELL_PUBLIC_URL || shellSocketOrigin();
  return `${base.replace(/\/+$/, "")}/builds/${encodeURIComponent(buildId)}/shell`;
}

/** The path the shell server answers, with the build it names (null for any other path). */
export function buildOfShellPath(pathname: string): string | null {
  const match = /^(?:\/.*)?\/builds\/([a-z0-9]{1,40})\/shell$/.exec(pathname);
  return match?.[1] ?? null;
}
