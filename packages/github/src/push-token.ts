// A token git can push with over HTTPS: the connection's own token, or a fresh installation
// token of the GitHub App (an hour's life; never stored).
import { createOctokit, type GithubAuth } from "./client";

export async function gitPushToken(auth: GithubAuth, baseUrl?: string): Promise<string> {
  if ("token" in auth) return auth.token;
  const octokit = createOctokit({ auth, ...(baseUrl ? { baseUrl } : {}) });
  const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
  return token;
}

/** Where git reaches the GitHub whose API is at `apiUrl` over HTTPS. */
export function gitHttpsOrigin(apiUrl: string): string {
  const api = new URL(apiUrl);
  // github.com's API has its own host; GitHub Enterprise serves it under /api/v3 of the same.
  return api.hostname === "api.github.com" ? "https://github.com" : api.origin;
}

/** The HTTPS address of a repository on the GitHub whose API is at `apiUrl`. */
export function httpsRepositoryUrl(apiUrl: string, owner: string, repo: string): string {
  return `${gitHttpsOrigin(apiUrl)}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
}

/** Git's environment that sends the token as HTTP basic credentials, kept off the command line. */
export function gitTokenEnv(token: string): { env: Record<string, string>; secrets: string[] } {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    env: {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
    secrets: [token, basic],
  };
}

/**
 * Git's environment for fetching a checkout's submodules from GitHub with the token. The
 * header goes only to GitHub's own address (a .gitmodules is the tenant's: one naming another
 * host never sees the token), and GitHub's SSH addresses (git@host:owner/repo, ssh://git@host/…,
 * relative paths under an SSH remote) are rewritten to that address, so every submodule on
 * GitHub is fetched with the token, whichever form .gitmodules gives it.
 */
export function gitSubmoduleTokenEnv(
  apiUrl: string,
  sshHost: string,
  token: string,
): { env: Record<string, string>; secrets: string[] } {
  const origin = `${gitHttpsOrigin(apiUrl)}/`;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  const entries: [string, string][] = [
    [`http.${origin}.extraHeader`, `Authorization: Basic ${basic}`],
    [`url.${origin}.insteadOf`, `git@${sshHost}:`],
    [`url.${origin}.insteadOf`, `ssh://git@${sshHost}/`],
  ];
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return { env, secrets: [token, basic] };
}
