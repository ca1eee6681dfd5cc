// The one place git is started: argument arrays through execFile, never a shell; a timeout on
// every call; stderr kept for the error with known secrets scrubbed.
import { execFile } from "node:child_process";
import { inheritedEnv } from "@gantry/config";
import { redact } from "@gantry/secrets";

export type GitErrorCode = "timeout" | "failed" | "not_found" | "invalid_argument";

export class GitError extends Error {
  override name = "GitError";
  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly stderr = "",
    readonly exitCode: number | null = null,
  ) {
    super(message);
  }
}

export interface RunGitOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Values to scrub from error messages (tokens, key material). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Leading `-c key=value` pairs. */
  config?: Record<string, string>;
  maxBuffer?: number;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return runGitRaw(args, options).then(({ stdout, stderr }) => ({ stdout: stdout.toString("utf8"), stderr }));
}

export function runGitRaw(
  args: string[],
  options: RunGitOptions = {},
): Promise<{ stdout: Buffer; stderr: string }> {
  const configArgs = Object.entries(options.config ?? {}).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const fullArgs = [...configArgs, ...args];
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = options.secrets ?? [];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      fullArgs,
      {
        cwd: options.cwd,
        // Never prompt: a missing credential must fail, not hang a worker.
        env: inheritedEnv({
          GIT_TERMINAL_PROMPT: "0",
          GIT_ASKPASS: "",
          SSH_ASKPASS: "",
          LC_ALL: "C",
          ...options.env,
        }),
        timeout,
        killSignal: "SIGKILL",
        encoding: "buffer",
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderrBuf) => {
        const stderr = redact(stderrBuf.toString("utf8").trim(), secrets);
        if (!error) return resolve({ stdout, stderr });
        const shown = redact(`git ${args.slice(0, 2).join(" ")}`, secrets);
        const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (err.code === "ENOENT") return reject(new GitError("not_found", "git is not installed"));
        if (err.killed) {
          return reject(new GitError("timeout", `${shown} timed out after ${timeout} ms`, stderr));
        }
        const exitCode = typeof err.code === "number" ? err.code : null;
        reject(
          new GitError(
            "failed",
            `${shown} failed (exit ${exitCode}): ${stderr || "no output"}`,
            stderr,
            exitCode,
          ),
        );
      },
    );
  });
}

/** Rejects values git would read as options (`--upload-pack=...` as a URL or ref). */
export function assertNotOption(value: string, what: string): void {
  if (value.startsWith("-") || value.length === 0 || /[\0\n\r]/.test(value)) {
    throw new GitError("invalid_argument", `invalid ${what}: ${JSON.stringify(value.slice(0, 200))}`);
  }
}
