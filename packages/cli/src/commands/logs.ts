import { Argument, type Command } from "commander";
import { contextOf } from "../context.js";
import { followStream } from "../follow.js";

// The build's log files, as the API names them.
export const logFiles = [
  "install.log",
  "pip.log",
  "tests.log",
  "update.log",
  "odoo.log",
  "access.log",
  "pg_slow_queries.log",
  "webshell.log",
] as const;

function writeLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function registerLogs(program: Command): void {
  program
    .command("logs")
    .description("Print a build's log file; --follow streams it until the build ends")
    .argument("<build>", "build id")
    .addArgument(new Argument("[file]", "the log file").choices(logFiles).default("install.log"))
    .option("-f, --follow", "keep printing lines as they are written, until the log is complete")
    .action(async (build: string, file: string, options: { follow?: boolean }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const path = `/api/v1/builds/${encodeURIComponent(build)}/logs/${encodeURIComponent(file)}`;
      if (!options.follow) {
        const text = await (await client.ok(path, { headers: { accept: "text/plain" } })).text();
        if (context.json) writeLine({ file, text });
        else process.stdout.write(text);
        return;
      }
      await followStream(client, `${path}/stream`, {
        lines(text, id) {
          if (context.json) writeLine({ offset: id === null ? null : Number(id), text });
          else process.stdout.write(`${text}\n`);
        },
        reset() {
          if (context.json) writeLine({ reset: true });
          else process.stderr.write(`gantry: ${file} was truncated; following it from its start\n`);
        },
      });
      if (context.json) writeLine({ end: true });
    });
}
