// `gantry shell BUILD`: the Shell tab in the local terminal. The API issues a one-time ticket
// (the Shell right of the build's stage), the worker's socket carries the session; the local
// terminal goes raw so keys reach the remote shell as typed, follows SIGWINCH, and is restored
// however the session ends. The exit code is the remote shell's.
import type { Command } from "commander";
import { contextOf } from "../context.js";
import { CliError, ExitQuietly, exitCodes } from "../exit.js";
import { buildPath } from "../resolve.js";
import { shellTicket } from "../schemas.js";
import { runTerminal, type SessionEnd } from "../terminal.js";

function localSize() {
  return { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
}

export function registerShell(program: Command): void {
  program
    .command("shell")
    .description("A terminal in the build's container; exits with the remote shell's exit code")
    .argument("<build>", "build id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = await contextOf(command).client();
      const { data } = await client.json(shellTicket, `${buildPath(id)}/shell`, { method: "POST" });
      const stdin = process.stdin;
      const raw = stdin.isTTY === true;
      if (raw) stdin.setRawMode(true);
      let end: SessionEnd;
      try {
        end = await runTerminal(
          data.url,
          { ticket: data.ticket, origin: new URL(client.settings.url).origin },
          {
            input: stdin,
            output: (bytes) => process.stdout.write(bytes),
            notice: (text) => process.stderr.write(`\r\n[gantry] ${text}\r\n`),
            size: localSize,
            onResize(callback) {
              process.on("SIGWINCH", callback);
              return () => process.off("SIGWINCH", callback);
            },
          },
        );
      } catch (error) {
        throw new CliError(exitCodes.api, (error as Error).message);
      } finally {
        if (raw) stdin.setRawMode(false);
        stdin.pause();
      }
      if (end.exitCode !== null) throw new ExitQuietly(end.exitCode);
      throw new CliError(exitCodes.failed, `shell ${end.reason}${end.message ? `: ${end.message}` : ""}`);
    });
}
