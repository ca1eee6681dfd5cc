// The one reader of the environment: where the client's settings live and the variables that
// override them.
import { homedir } from "node:os";
import { join } from "node:path";

export interface CliEnvironment {
  url: string | undefined;
  token: string | undefined;
  /** The settings file: $XDG_CONFIG_HOME/gantry/config.json, else ~/.config/gantry/config.json. */
  configFile: string;
}

export function readEnvironment(): CliEnvironment {
  const base = process.env.XDG_CONFIG_HOME || join(process.env.HOME || homedir(), ".config");
  return {
    url: process.env.GANTRY_URL || undefined,
    token: process.env.GANTRY_TOKEN || undefined,
    configFile: join(base, "gantry", "config.json"),
  };
}
