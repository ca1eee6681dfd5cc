import type { Command } from "commander";
import { ApiClient } from "../client.js";
import { contextOf } from "../context.js";
import { printJson } from "../output.js";
import { me } from "../schemas.js";
import { normalizeUrl, saveSettings } from "../settings.js";

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description("Check an API token (from your account page) and store it with the URL")
    .requiredOption("--url <url>", "Gantry's address, e.g. https://gantry.example.com")
    .requiredOption("--token <token>", "an API token")
    .action(async (options: { url: string; token: string }, command: Command) => {
      const settings = { url: normalizeUrl(options.url), token: options.token };
      // Asked before storing: a refused token is never written.
      const { raw, data } = await new ApiClient(settings).json(me, "/api/v1/me");
      const file = await saveSettings(settings);
      if (contextOf(command).json) printJson(raw);
      else process.stdout.write(`Signed in to ${settings.url} as ${data.email}; settings in ${file}\n`);
    });
}
