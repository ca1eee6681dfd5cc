// One shell session into a build's serving container, whatever carries it (the web socket
// today, an SSH channel later): wakes a sleeping build, runs the TTY exec with Gantry's helpers,
// relays bytes and resizes, restarts Odoo when the helpers ask, closes after the idle time, and
// keeps the audit row and webshell.log.
import { randomBytes } from "node:crypto";
import { bestEffort } from "@gantry/config";
import {
  type Logger,
  recordShellEnd,
  recordShellStart,
  type ShellEndReason,
  type ShellGrant,
  type ShellVia,
  shellBuild,
  touchShellBuild,
} from "@gantry/core";
import { type QueueContext, waitLock } from "@gantry/queue";
import type { ContainerRuntime, ExecSession } from "@gantry/runtime";
import { waitHealthy } from "../shared/serve";
import { powerLockName, wakeBuild } from "../sleep/power";
import { restartMarker, shellCommand } from "./command";
import { WebshellLog } from "./webshell-log";

const HEALTH_TIMEOUT_MS = 120_000;
const TOUCH_MS = 60_000;
// Input that arrives before the command runs is kept up to this much; the sender waits beyond.
const EARLY_INPUT_BYTES = 1024 * 1024;

export interface ShellServices {
  runtime: ContainerRuntime;
  queue: QueueContext;
  logger: Logger;
  idleMs: number;
}

export type ShellState = "waking" | "ready" | "restarting";

/** The transport's side: where output, notices and the end go. */
export interface ShellPeer {
  output(data: Buffer): void;
  /** The command's stderr, when it runs without a terminal (else everything goes to output). */
  errorOutput?(data: Buffer): void;
  notice(state: ShellState, message: string): void;
  /** exitCode: the command's or the shell's status, when it ended by itself. */
  end(reason: ShellEndReason, message: string, exitCode?: number): void;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

function clampSize(size: TerminalSize): TerminalSize {
  const clamp = (n: number, max: number) => Math.min(Math.max(Math.trunc(n) || 1, 1), max);
  return { cols: clamp(size.cols, 1000), rows: clamp(size.rows, 500) };
}

export class ShellSession {
  private exec: ExecSession | null = null;
  private ended = false;
  private restarting = false;
  private sessionId: string | null = null;
  private log: WebshellLog | null = null;
  private bytesIn = 0;
  private bytesOut = 0;
  private typedSinceTouch = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private touchTimer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private readonly restartToken = randomBytes(16).toString("hex");
  private size: TerminalSize;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private inputEnded = false;
  private markStarted: () => void = () => {};
  /** Resolves once the first shell runs, or the session ended before. */
  private readonly started = new Promise<void>((resolve) => {
    this.markStarted = resolve;
  });

  constructor(
    private readonly services: ShellServices,
    private readonly grant: ShellGrant,
    private readonly peer: ShellPeer,
    size: TerminalSize,
    private readonly via: ShellVia = "web",
    /** One command to run instead of an interactive shell (SSH's exec). */
    private readonly command?: string,
    /** A terminal for it: false for a command whose client asked for none (stdout, stderr apart). */
    private readonly tty = true,
  ) {
    this.size = clampSize(size);
  }

  /** Opens the session: audit row, wake, exec. Resolves once the shell runs (or the session ended). */
  async start(): Promise<void> {
    try {
      const build = await shellBuild(this.grant.buildId);
      if (!build) return await this.close("error", "The build does not serve any more.");
      this.sessionId = await recordShellStart(this.grant, this.via);
      this.log = new WebshellLog(this.grant.buildId, this.sessionId);
      const what = this.command === undefined ? "" : `: ${this.command}`;
      this.log.event("start", `${this.grant.userEmail} (${this.grant.role}) via ${this.via}${what}`);
      this.armIdle();
      this.touchTimer = setInterval(() => this.touch(), TOUCH_MS);
      if (build.sleepingSince) {
        this.peer.notice("waking", "The build is asleep: starting it…");
        await wakeBuild(this.services.runtime, this.services.queue, build.id, this.abort.signal);
      }
      await this.runShell();
    } catch (error) {
      this.services.logger.warn({ err: error, buildId: this.grant.buildId }, "shell session failed");
      await this.close("error", `The shell could not start: ${(error as Error).message}`);
    }
  }

  /**
   * Input for the shell or command. What arrives before the command runs (a pipe's first bytes
   * over SSH) is kept for it, up to a bound. False: the command is not keeping up; wait for
   * `drained()` before sending more.
   */
  input(data: Buffer): boolean {
    if (this.ended) return true;
    this.bytesIn += data.length;
    this.typedSinceTouch = true;
    this.armIdle();
    this.log?.record("in", data);
    if (!this.exec) {
      this.early.push(data);
      this.earlyBytes += data.length;
      return this.earlyBytes < EARLY_INPUT_BYTES;
    }
    return this.exec.stream.write(data);
  }

  /** Resolves once the command has taken what it was given (or the session ended). */
  drained(): Promise<void> {
    const stream = this.exec?.stream;
    if (!stream || this.ended || !stream.writableNeedDrain) return this.started;
    return new Promise((resolve) => {
      stream.once("drain", resolve);
      stream.once("close", resolve);
    });
  }

  /** The client's input ended (a command fed by a pipe): the command sees its end of input. */
  endInput(): void {
    this.inputEnded = true;
    this.exec?.endInput();
  }

  resize(size: TerminalSize): void {
    this.size = clampSize(size);
    // A resize racing the exec's end is harmless: the next shell starts with the new size.
    if (this.exec) void bestEffort("resizing the shell", this.exec.resize(this.size));
  }

  /** Ends the session: the exec's stream is closed, the audit row and log get their end. */
  async close(reason: ShellEndReason, message = "", exitCode?: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.abort.abort();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.touchTimer) clearInterval(this.touchTimer);
    this.exec?.stream.destroy();
    this.markStarted();
    if (this.sessionId) {
      this.log?.event("end", `${reason} in:${this.bytesIn} out:${this.bytesOut}`);
      await bestEffort("closing webshell.log", async () => this.log?.close());
      await bestEffort(
        "recording the shell session's end",
        recordShellEnd(this.sessionId, { reason, bytesIn: this.bytesIn, bytesOut: this.bytesOut }),
      );
    }
    this.peer.end(reason, message, exitCode);
  }

  private async runShell(): Promise<void> {
    const build = await shellBuild(this.grant.buildId);
    if (!build) return this.close("error", "The build does not serve any more.");
    const { cmd, env } = shellCommand({
      database: build.databaseName,
      prompt: `${build.project.slug}/${build.branch.name}`,
      restartToken: this.restartToken,
      ...(this.command === undefined ? {} : { command: this.command }),
    });
    const exec = await this.services.runtime.execInteractive(build.containerName, cmd, {
      env,
      tty: this.tty,
    });
    if (this.ended) {
      exec.stream.destroy();
      return;
    }
    this.exec = exec;
    await bestEffort("sizing the shell", exec.resize(this.size));
    const marker = restartMarker(this.restartToken);
    let tail = "";
    exec.errors?.on("data", (chunk: Buffer) => {
      this.bytesOut += chunk.length;
      this.log?.record("out", chunk);
      (this.peer.errorOutput ?? this.peer.output)(chunk);
    });
    exec.output.on("data", (chunk: Buffer) => {
      this.bytesOut += chunk.length;
      this.log?.record("out", chunk);
      this.peer.output(chunk);
      // The marker may straddle two chunks: look at the end of the previous one too.
      const text = tail + chunk.toString("latin1");
      if (text.includes(marker)) void this.restart(build.containerName, build.httpPort);
      tail = text.slice(-marker.length);
    });
    exec.stream.on("error", () => {});
    exec.stream.once("close", () => {
      if (this.exec === exec) this.exec = null;
      if (this.restarting) return;
      void exec.exitCode().then(
        (code) => this.close("exited", "The shell ended.", code),
        () => this.close("exited", "The shell ended."),
      );
    });
    for (const chunk of this.early.splice(0)) exec.stream.write(chunk);
    this.earlyBytes = 0;
    if (this.inputEnded) exec.endInput();
    this.markStarted();
    this.peer.notice("ready", "");
  }

  /** Restarts the serving container (the shell goes with it) and opens a new shell once Odoo answers. */
  private async restart(container: string, port: number | null): Promise<void> {
    if (this.restarting || this.ended) return;
    this.restarting = true;
    this.log?.event("note", "odoo-restart");
    this.peer.notice("restarting", "Restarting Odoo…");
    const { runtime, queue } = this.services;
    try {
      const lock = await waitLock(queue, powerLockName(this.grant.buildId), this.abort.signal);
      try {
        await runtime.stop(container, 10);
        await runtime.start(container);
        if (port) await waitHealthy(runtime, container, port, this.abort.signal, HEALTH_TIMEOUT_MS);
      } finally {
        await lock.release();
      }
      this.restarting = false;
      if (!this.ended) await this.runShell();
    } catch (error) {
      this.restarting = false;
      if (!this.ended) await this.close("error", `Odoo did not come back: ${(error as Error).message}`);
    }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const minutes = this.services.idleMs / 60_000;
      const span = minutes >= 1 ? `${Math.round(minutes)} minutes` : `${Math.round(minutes * 60)} seconds`;
      void this.close("idle", `Closed after ${span} without input.`);
    }, this.services.idleMs);
  }

  private touch(): void {
    if (!this.typedSinceTouch) return;
    this.typedSinceTouch = false;
    void bestEffort("recording shell activity", touchShellBuild(this.grant.buildId));
  }
}
