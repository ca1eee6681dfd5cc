// The known_hosts file Gantry keeps for its clones. Hosts whose keys are published (github.com)
// are written in before the first connection; any other host (GitHub Enterprise, a private git
// server) is recorded on first contact by ssh's StrictHostKeyChecking=accept-new. From then on
// a changed host key is refused, and a clone never answers a prompt.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Adds `host key` lines that are not in the file yet; creates the file (0600) if needed. */
export async function ensureKnownHosts(
  file: string,
  entries: ReadonlyArray<{ host: string; key: string }>,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const current = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const lines = new Set(current.split("\n").map((line) => line.trim()));
  const missing = entries.map((e) => `${e.host} ${e.key}`).filter((line) => !lines.has(line));
  if (missing.length === 0 && current !== "") return;
  const text = `${current}${current && !current.endsWith("\n") ? "\n" : ""}${missing.join("\n")}${missing.length ? "\n" : ""}`;
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}
