// The SSH server's host key: made once (ed25519, OpenSSH format) into the data folder, readable
// by Gantry's user only, and kept, so clients that trusted it keep trusting it.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { config } from "@gantry/config";
import ssh2 from "ssh2";

export function hostKeyFile(): string {
  return join(config().GANTRY_DATA_DIR, "ssh", "host_ed25519");
}

export async function loadHostKey(file = hostKeyFile()): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment: "gantry-ssh-host" });
  // "wx": two workers starting together make one key; the second reads the first's.
  await writeFile(file, pair.private, { mode: 0o600, flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  return readFile(file);
}
