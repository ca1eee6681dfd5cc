// A Caddy of the test's own, its admin API on a unix socket in a temporary folder, as the
// scripts run it: the shared Caddy is never touched.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminRequest } from "../../../packages/core/src/routing/admin-transport";

export class PrivateCaddy {
  readonly dir = mkdtempSync(join(tmpdir(), "gantry-caddy-"));
  readonly socket = join(this.dir, "admin.sock");
  private child: ChildProcess | undefined;

  /** The running Caddy's process id: the same one before and after a renewal proves no restart. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get adminUrl(): string {
    return `unix://${this.socket}`;
  }

  async start(deadlineMs = 20_000): Promise<void> {
    const configFile = join(this.dir, "initial.json");
    writeFileSync(configFile, JSON.stringify({ admin: { listen: `unix/${this.socket}` } }));
    const home = { HOME: this.dir, XDG_DATA_HOME: this.dir, XDG_CONFIG_HOME: this.dir };
    const child = spawn("caddy", ["run", "--config", configFile], {
      cwd: this.dir,
      env: { ...process.env, ...home },
      // DEBUG_CADDY_LOG=/path: Caddy's own log (ACME attempts, admin errors) is appended there.
      stdio: [
        "ignore",
        "ignore",
        process.env.DEBUG_CADDY_LOG ? openSync(process.env.DEBUG_CADDY_LOG, "a") : "ignore",
      ],
    });
    this.child = child;
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const answer = await adminRequest(this.adminUrl, { method: "GET", path: "/config/" }).catch(
        () => undefined,
      );
      if (answer?.ok) return;
      if (child.exitCode !== null) throw new Error(`caddy exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("caddy's admin socket did not answer in time");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
