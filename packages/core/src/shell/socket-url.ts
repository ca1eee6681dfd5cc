import { type Config, config, shellSocketOrigin } from "@gantry/config";

/** Where the browser opens the terminal of one build (SHELL_PUBLIC_URL may carry a path prefix). */
export function shellSocketUrl(
  buildId: string,
  settings: Pick<Config, "SHELL_PUBLIC_URL" | "SHELL_LISTEN" | "PUBLIC_URL"> = config(),
): string {
  const base = settings.SHELL_PUBLIC_URL || shellSocketOrigin(settings);
  return `${base.replace(/\/+$/, "")}/builds/${encodeURIComponent(buildId)}/shell`;
}

/** The build a shell socket's path names (after any prefix), or null for any other path. */
export function buildOfShellPath(pathname: string): string | null {
  const match = /^(?:\/.*)?\/builds\/([a-z0-9]{1,40})\/shell$/.exec(pathname);
  return match?.[1] ?? null;
}
