// The command a shell session runs in the serving container: an interactive bash whose rc file
// (helpers.bash, Gantry's own) comes in the environment, so no image needs to carry it.
import { readFileSync } from "node:fs";

const rcFile = new URL("./helpers.bash", import.meta.url);
let rc: string | null = null;

function helpers(): string {
  rc ??= readFileSync(rcFile, "utf8");
  return rc;
}

/** The restart request helpers.bash prints, with the session's own token. */
export function restartMarker(token: string): string {
  return `\u001b]7719;gantry-restart;${token}\u0007`;
}

/**
 * An interactive bash, or with `command` (one command over SSH) a bash that loads the same
 * helpers quietly, runs the command and exits with its status.
 */
export function shellCommand(input: {
  database: string;
  prompt: string;
  restartToken: string;
  command?: string;
}) {
  const cmd =
    input.command === undefined
      ? ["/bin/bash", "-c", 'exec /bin/bash --rcfile <(printf "%s\\n" "$GANTRY_SHELL_RC") -i']
      : ["/bin/bash", "-c", 'source <(printf "%s\\n" "$GANTRY_SHELL_RC") >/dev/null; eval "$GANTRY_COMMAND"'];
  return {
    cmd,
    env: {
      ...(input.command === undefined ? {} : { GANTRY_COMMAND: input.command }),
      TERM: "xterm-256color",
      LANG: "C.UTF-8",
      GANTRY_DB: input.database,
      GANTRY_PROMPT: input.prompt,
      GANTRY_RESTART_TOKEN: input.restartToken,
      GANTRY_SHELL_RC: helpers(),
    },
  };
}
