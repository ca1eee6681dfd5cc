import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"]);
    return stdout.trim() === "PONG";
  } catch {
    return false;
  }
}

/**
 * A Redis of the test's own, with append-only persistence in `dir`, so that it can be stopped
 * and started again without touching the shared one.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(deadlineMs = 15_000): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--dir",
        this.dir,
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    const deadline = Date.now() + deadlineMs;
    while (!(await answers(this.port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("redis-server did not answer in time");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SHUTDOWN flushes the append-only file, then the server exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await run("redis-cli", ["-h", "127.0.0.1", "-p", String(this.port), "shutdown"]).catch(() => {});
    await exited;
    this.child = undefined;
  }

  kill(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }
}
