// A private OpenSSH server on a 127.0.0.1 port, with its own host key and its own
// authorized_keys, serving git repositories on disk over SSH like a git host does. Never the
// system's sshd: its configuration, keys and logs live in a temporary folder.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const SSHD = "/usr/sbin/sshd";

export interface PrivateSshd {
  port: number;
  /** The account clients log in as (the one running the tests). */
  user: string;
  /** `host key-type key` as ssh writes it into known_hosts for this server. */
  hostKeyLine(): Promise<string>;
  /** `ssh://user@127.0.0.1:port/<absolute path>` */
  urlOf(path: string): string;
  /** What sshd logged (auth lines included), for checks on who logged in with which key. */
  log(): string;
  /** Stops it; `restart` starts it again on the same port, with a new host key if asked. */
  stop(): Promise<void>;
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  close(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("data", (chunk) => {
      socket.destroy();
      resolve(chunk.toString().startsWith("SSH-"));
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startSshd(options: { port: number; authorizedKeys: string[] }): Promise<PrivateSshd> {
  const dir = await mkdtemp(join(tmpdir(), "gantry-sshd-"));
  const user = userInfo().username;
  const hostKey = join(dir, "host_ed25519");
  const newHostKey = async () => {
    await rm(hostKey, { force: true });
    await rm(`${hostKey}.pub`, { force: true });
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "gantry-test-host", "-f", hostKey]);
  };
  await newHostKey();
  // Only these keys may log in, and only to run commands (no terminal, no forwarding).
  await writeFile(
    join(dir, "authorized_keys"),
    options.authorizedKeys.map((k) => `restrict ${k.trim()}\n`).join(""),
    { mode: 0o600 },
  );
  await writeFile(
    join(dir, "sshd_config"),
    [
      `Port ${options.port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `AllowUsers ${user}`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      // The folder lives under the shared temporary dir, which StrictModes would refuse.
      "StrictModes no",
      "UsePAM no",
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );
  // sshd's privilege separation needs this folder (the package creates it only at boot).
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 });

  let child: ChildProcess | undefined;
  let logText = "";
  const start = async () => {
    const started = spawn(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    started.stderr?.on("data", (chunk: Buffer) => {
      logText += chunk.toString();
    });
    child = started;
    const deadline = Date.now() + 15_000;
    while (!(await answers(options.port))) {
      if (started.exitCode !== null) throw new Error(`sshd exited with ${started.exitCode}: ${logText}`);
      if (Date.now() > deadline) throw new Error(`sshd did not answer in time: ${logText}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  await start();

  return {
    port: options.port,
    user,
    async hostKeyLine() {
      const [type, key] = (await readFile(`${hostKey}.pub`, "utf8")).trim().split(/\s+/);
      return `[127.0.0.1]:${options.port} ${type} ${key}`;
    },
    urlOf: (path) => `ssh://${user}@127.0.0.1:${options.port}${path}`,
    log: () => logText,
    stop,
    async restart(restartOptions = {}) {
      await stop();
      if (restartOptions.newHostKey) await newHostKey();
      await start();
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
