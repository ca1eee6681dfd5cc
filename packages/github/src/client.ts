// An authenticated octokit for one repository owner: a token (personal or installation) or a
// GitHub App installation. The base URL is configurable so tests point it at a local stand-in.
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";

export const GITHUB_API_URL = "https://api.github.com";

export type GithubAuth =
  | { token: string }
  | { appId: number | string; privateKey: string; installationId: number };

export interface GithubClientOptions {
  baseUrl?: string;
  /** None: anonymous, for GitHub's public endpoints (a user's public keys). */
  auth?: GithubAuth;
  userAgent?: string;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
}

export function createOctokit(options: GithubClientOptions): Octokit {
  const baseUrl = (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const common = {
    baseUrl,
    userAgent: options.userAgent ?? "gantry",
    // Octokit logs 404s and deprecations with console.warn; failures surface as GithubError instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: {
      fetch: (url: string | URL | Request, init?: RequestInit) =>
        globalThis.fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
    },
  };
  if (!options.auth) return new Octokit(common);
  if ("token" in options.auth) return new Octokit({ ...common, auth: options.auth.token });
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: options.auth.appId,
      privateKey: options.auth.privateKey,
      installationId: options.auth.installationId,
    },
  });
}
