#!/usr/bin/env node
// The `gantry` binary: runs the command line and turns every failure into one line on stderr
// and an exit code a script can rely on (see exit.ts).
import { CommanderError } from "commander";
import { CliError, ExitQuietly, exitCodes } from "./exit.js";
import { buildProgram } from "./program.js";

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here too, with exit code 0; commander printed the rest.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof ExitQuietly) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`gantry: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`gantry: ${(error as Error).stack ?? String(error)}\n`);
    return exitCodes.api;
  }
}

// Waits for stdout to drain: a large --json answer piped to another program is not cut short.
process.exitCode = await main(process.argv);
