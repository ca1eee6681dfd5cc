// The SSH server: `ssh <build id or slug>@host -p PORT` opens the same shell as the Shell tab
// (session.ts: wake, TTY exec with the helpers, audit with "via ssh", webshell.log, idle close);
// `ssh build@host 'cmd'` runs one command there and returns its exit status. The key names the
// person (keys registered in their account), the SSH user names the build, and the Shell right
// of the build's stage decides, before any session exists: a refusal is an authentication failure.
import { timingSafeEqual } from "node:crypto";
import { config } from "@gantry/config";
import { type Logger, recordAudit, type ShellGrant, sshDecision, sshKeyOwner } from "@gantry/core";
import type { QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
// ssh2 is CommonJS: Node's ESM loader offers its default export only.
import ssh2, { type Connection, type ServerChannel, type Session } from "ssh2";
import { loadHostKey } from "./host-key";
import { type ShellServices, ShellSession, type TerminalSize } from "./session";
import { SftpSession } from "./sftp/session";
import { configuredUploadLimits, type UploadLimits } from "./sftp/upload-limits";

const MAX_COMMAND_BYTES = 64 * 1024;
// `scp -O` (the legacy protocol) runs `scp -t`/`scp -f` on the server; plain `scp` speaks SFTP.
const LEGACY_SCP = /^\s*scp\s+(?:-[a-zA-Z]+\s+)*-[a-zA-Z]*[tf]/;
const LEGACY_SCP_REFUSAL =
  "gantry: the legacy scp protocol (scp -O) is not served: use scp without -O, or sftp\r\n";

/** What the server closes when it stops: shell sessions and SFTP sessions alike. */
interface Closable {
  close(reason: "shutdown", message?: string): Promise<void>;
}

export interface SshServer {
  port: number;
  close(): Promise<void>;
}

/** Checks the client's signature over the session with the offered key. */
function signatureValid(ctx: {
  key: { algo: string; data: Buffer };
  signature?: Buffer;
  blob?: Buffer;
  hashAlgo?: string;
}): boolean {
  if (!ctx.signature || !ctx.blob) return false;
  const parsed = ssh2.utils.parseKey(ctx.key.data);
  if (parsed instanceof Error || Array.isArray(parsed)) return false;
  const key = parsed as { type: string; getPublicSSH(): Buffer; verify(...args: unknown[]): boolean | Error };
  const publicSsh = key.getPublicSSH();
  if (publicSsh.length !== ctx.key.data.length || !timingSafeEqual(publicSsh, ctx.key.data)) return false;
  return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
}

type SshServices = ShellServices & { uploadLimits: UploadLimits };

function openSession(
  services: SshServices,
  sessions: Set<Closable>,
  grant: ShellGrant,
  session: Session,
): void {
  let size: TerminalSize = { cols: 80, rows: 24 };
  let pty = false;
  // A client without a terminal of its own (ssh -tt from a script) asks for 0x0: keep 80x24.
  const sizeOf = (info: { cols: number; rows: number }) => ({ cols: info.cols || 80, rows: info.rows || 24 });
  let shell: ShellSession | null = null;
  session.on("pty", (accept, _reject, info) => {
    pty = true;
    size = sizeOf(info);
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    size = sizeOf(info);
    shell?.resize(size);
    accept?.();
  });
  session.on("env", (accept) => accept?.());
  const run = (channel: ServerChannel, command?: string) => {
    // A shell always gets a terminal; a command only when the client asked for one (ssh -t).
    const tty = command === undefined || pty;
    const current = new ShellSession(
      services,
      grant,
      {
        output: (data) => channel.write(data),
        errorOutput: (data) => channel.stderr.write(data),
        notice: (state, message) => {
          if (message && state !== "ready") channel.stderr.write(`gantry: ${message}\r\n`);
        },
        end: (_reason, message, exitCode) => {
          sessions.delete(current);
          if (exitCode === undefined && message) channel.stderr.write(`gantry: ${message}\r\n`);
          channel.exit(exitCode ?? 255);
          channel.end();
        },
      },
      size,
      "ssh",
      command,
      tty,
    );
    shell = current;
    sessions.add(current);
    channel.on("data", (data: Buffer) => {
      // The command sets the pace: the client waits while it catches up.
      if (current.input(data)) return;
      channel.pause();
      void current.drained().then(() => channel.resume());
    });
    channel.on("end", () => current.endInput());
    channel.on("close", () => void current.close("closed"));
    channel.on("error", () => void current.close("error"));
    void current.start();
  };
  session.on("shell", (accept) => {
    if (shell) return;
    run(accept());
  });
  session.on("exec", (accept, reject, info) => {
    if (shell || Buffer.byteLength(info.command) > MAX_COMMAND_BYTES) return reject?.();
    if (LEGACY_SCP.test(info.command)) {
      const channel = accept();
      channel.stderr.write(LEGACY_SCP_REFUSAL);
      channel.exit(1);
      channel.end();
      return;
    }
    run(accept(), info.command);
  });
  // SFTP (and scp, which speaks it) is served by Gantry on the build's files, not in the container.
  session.on("sftp", (accept, reject) => {
    if (shell) return reject?.();
    openSftp(services, sessions, grant, accept);
  });
  session.on("subsystem", (_accept, reject) => reject?.());
}

/** Accepts at once (OpenSSH's first packet follows its request without waiting), then audits. */
function openSftp(
  services: SshServices,
  sessions: Set<Closable>,
  grant: ShellGrant,
  accept: () => import("ssh2").SFTPWrapper | undefined,
): void {
  const channel = accept();
  if (!channel) return;
  const current: SftpSession = new SftpSession(
    grant,
    services.logger,
    services.idleMs,
    services.uploadLimits,
    () => sessions.delete(current),
  );
  sessions.add(current);
  current.serveChannel(channel);
  current.start().catch((error: unknown) => {
    services.logger.warn({ err: error, buildId: grant.buildId }, "sftp session failed");
  });
}

export async function startSshServer(options: {
  host: string;
  port: number;
  runtime: ContainerRuntime;
  queue: QueueContext;
  logger: Logger;
  /** Default: SHELL_IDLE_MINUTES. */
  idleMs?: number;
  hostKey?: Buffer;
  /** Default: SFTP_MAX_FILE_BYTES and SFTP_MIN_FREE_BYTES. */
  uploadLimits?: UploadLimits;
}): Promise<SshServer> {
  const services: SshServices = {
    uploadLimits: options.uploadLimits ?? configuredUploadLimits(),
    runtime: options.runtime,
    queue: options.queue,
    logger: options.logger,
    idleMs: options.idleMs ?? config().SHELL_IDLE_MINUTES * 60_000,
  };
  const sessions = new Set<Closable>();
  const connections = new Set<Connection>();
  const hostKey = options.hostKey ?? (await loadHostKey());
  const server = new ssh2.Server({ hostKeys: [hostKey], ident: "Gantry" }, (client) => {
    connections.add(client);
    let grant: ShellGrant | null = null;
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      const decide = async () => {
        const owner = await sshKeyOwner(ctx.key.algo, ctx.key.data);
        if (!owner) return ctx.reject(["publickey"]);
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature) return ctx.accept();
        if (!signatureValid(ctx)) return ctx.reject(["publickey"]);
        const decision = await sshDecision(owner, ctx.username);
        if ("refusal" in decision) {
          options.logger.info(
            { userId: owner.userId, sshUser: ctx.username, why: decision.refusal },
            "ssh refused",
          );
          await recordAudit({
            action: "ssh.refused",
            userId: owner.userId,
            target: ctx.username.slice(0, 100),
            data: { reason: decision.refusal },
          });
          return ctx.reject(["publickey"]);
        }
        grant = decision.grant;
        options.logger.info(
          { buildId: grant.buildId, userId: grant.userId, role: grant.role },
          "ssh session opened",
        );
        ctx.accept();
      };
      decide().catch((error: unknown) => {
        options.logger.error({ err: error }, "ssh authentication failed");
        ctx.reject(["publickey"]);
      });
    });
    client.on("ready", () => {
      client.on("session", (accept) => {
        if (!grant) return;
        openSession(services, sessions, grant, accept());
      });
    });
    // Port forwarding and the like are not offered: a shell is all an SSH user gets.
    client.on("tcpip", (_accept, reject) => reject());
    client.on("request", (_accept, reject) => reject?.());
    client.on("error", () => {});
    client.on("close", () => connections.delete(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    async close() {
      await Promise.all([...sessions].map((session) => session.close("shutdown", "Gantry is stopping.")));
      for (const client of connections) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
