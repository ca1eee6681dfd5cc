// Deploy keys for private repositories and submodules: the key goes to a 0600 file in a
// private temp folder for the duration of one git call, then is removed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitError } from "./run";

export interface SshOptions {
  /** Private key text (OpenSSH or PEM). */
  sshKey?: string;
  /** known_hosts file Gantry keeps (see known-hosts.ts); new hosts are added on first contact. */
  knownHostsFile?: string;
}

// GIT_SSH_COMMAND is read by a shell, so every value placed in it is single-quoted.
function shellQuote(value: string): string {
  if (/[\0\n\r]/.test(value)) throw new GitError("invalid_argument", "path contains control characters");
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function withSshEnv<T>(
  options: SshOptions,
  body: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!options.sshKey && !options.knownHostsFile) return body({});
  const dir = await mkdtemp(join(tmpdir(), "gantry-ssh-"));
  try {
    const identity: string[] = [];
    if (options.sshKey) {
      const keyFile = join(dir, "key");
      const key = options.sshKey.endsWith("\n") ? options.sshKey : `${options.sshKey}\n`;
      await writeFile(keyFile, key, { mode: 0o600 });
      // Only this key: an agent's or ~/.ssh's keys must not stand in for the deploy key.
      identity.push("-i", shellQuote(keyFile), "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none");
    }
    const knownHosts = options.knownHostsFile ?? join(dir, "known_hosts");
    const command = [
      "ssh",
      // No user or system ssh_config: the same behaviour on every machine.
      "-F",
      "/dev/null",
      ...identity,
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=30",
      // Known hosts are checked; a host never seen is recorded (see known-hosts.ts).
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      shellQuote(`UserKnownHostsFile=${knownHosts}`),
    ].join(" ");
    return await body({ GIT_SSH_COMMAND: command, GIT_SSH_VARIANT: "ssh" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
