// Where the API is and the token to send: GANTRY_URL / GANTRY_TOKEN first, then the file
// `gantry login` writes (mode 0600: it holds a secret).
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { readEnvironment } from "./env.js";
import { CliError, exitCodes } from "./exit.js";

const stored = z.object({ url: z.string().url(), token: z.string().min(1) });
export type Settings = z.infer<typeof stored>;

/** A base URL without a trailing slash; only http(s). */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(exitCodes.usage, `not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError(exitCodes.usage, `the URL must be http(s): ${raw}`);
  return url.toString().replace(/\/+$/, "");
}

async function readStored(file: string): Promise<Partial<Settings>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = stored.partial().safeParse(json);
  if (!parsed.success) throw new CliError(exitCodes.usage, `${file} is not a gantry settings file`);
  return parsed.data;
}

export async function loadSettings(): Promise<Settings> {
  const env = readEnvironment();
  const file = await readStored(env.configFile);
  const url = env.url ?? file.url;
  const token = env.token ?? file.token;
  if (!url || !token)
    throw new CliError(exitCodes.auth, "not signed in: run `gantry login --url URL --token TOKEN`");
  return { url: normalizeUrl(url), token };
}

export async function saveSettings(settings: Settings): Promise<string> {
  const file = readEnvironment().configFile;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Written beside and renamed: a reader never sees half a file, and the mode is set before
  // the token is in it.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}
