// A token git can push with over HTTPS: the connection's own token, or a fresh installation
// token of the GitHub App (an hour's life; never stored).
import { createOctokit, type GithubAuth } from "./client";

export async function gitPushToken(auth: GithubAuth, baseUrl?: string): Promise<string> {
  if ("token" in auth) return auth.token;
  const octokit = createOctokit({ auth, ...(baseUrl ? { baseUrl } : {}) });
  const { token } = (await octokit.auth({ type: "installation" })) as { token: string };
  return token;
}

/** The HTTPS address of a repository on the GitHub whose API is at `apiUrl`. */
export function httpsRepositoryUrl(apiUrl: string, owner: string, repo: string): string {
  const api = new URL(apiUrl);
  // github.com's API has its own host; GitHub Enterprise serves it under /api/v3 of the same.
  const origin = api.hostname === "api.github.com" ? "https://github.com" : api.origin;
  return `${origin}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
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
