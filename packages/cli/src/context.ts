// What every command receives: the --json switch, a client built from the settings only when
// the command talks to the API (so `gantry completion` works signed out), and `show`, which
// asks the API and prints the answer: its JSON as is with --json, else the command's own text.
import type { Command } from "commander";
import type { z } from "zod";
import { ApiClient, type RequestOptions } from "./client.js";
import { printJson } from "./output.js";
import { loadSettings } from "./settings.js";

export interface CommandContext {
  json: boolean;
  client(): Promise<ApiClient>;
  show<S extends z.ZodType>(
    schema: S,
    path: string,
    human: (data: z.output<S>) => void,
    options?: RequestOptions,
  ): Promise<void>;
}

export function contextOf(command: Command): CommandContext {
  const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
  let client: Promise<ApiClient> | undefined;
  const context: CommandContext = {
    json,
    client: () => {
      client ??= loadSettings().then((settings) => new ApiClient(settings));
      return client;
    },
    async show(schema, path, human, options) {
      const { raw, data } = await (await context.client()).json(schema, path, options);
      if (json) printJson(raw);
      else human(data);
    },
  };
  return context;
}

/** The human answer of commands that queue something: the new id alone, easy to capture. */
export function printId(data: { id: string }): void {
  process.stdout.write(`${data.id}\n`);
}
