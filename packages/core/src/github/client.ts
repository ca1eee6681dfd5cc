// The GitHub client of one project, from its stored (encrypted) credentials.
import { config } from "@gantry/config";
import { type GithubAuth, type GithubClient, githubClient } from "@gantry/github";
import { decrypt, encrypt } from "@gantry/secrets";
import { authSecret } from "../auth/secret";
import { AppError } from "../errors";
import { publicUrl } from "../public-url";

export interface ProjectCredentials {
  githubAuthKind: "TOKEN" | "APP" | null;
  githubTokenEnc: string | null;
  githubInstallationId: bigint | null;
}

/** Seals a secret for storage (tokens, webhook secrets, private keys). */
export function seal(plain: string): string {
  return encrypt(plain, authSecret());
}

export function unseal(box: string): string {
  return decrypt(box, authSecret());
}

/** Token or app installation, as the GitHub client takes it. */
export function authOf(credentials: ProjectCredentials): GithubAuth {
  if (credentials.githubAuthKind === "TOKEN" && credentials.githubTokenEnc) {
    return { token: unseal(credentials.githubTokenEnc) };
  }
  if (credentials.githubAuthKind === "APP" && credentials.githubInstallationId !== null) {
    return { ...appCredentials(), installationId: Number(credentials.githubInstallationId) };
  }
  throw new AppError("conflict", "The project is not connected to GitHub");
}

export function appCredentials(): { appId: string; privateKey: string } {
  const { GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY } = config();
  if (!GITHUB_APP_ID || !GITHUB_APP_PRIVATE_KEY) {
    throw new AppError(
      "invalid_input",
      "No GitHub App is configured (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)",
    );
  }
  // Environment files carry the PEM on one line with literal \n.
  return { appId: GITHUB_APP_ID, privateKey: GITHUB_APP_PRIVATE_KEY.replace(/\\n/g, "\n") };
}

export function clientFor(auth: GithubAuth): GithubClient {
  return githubClient({ baseUrl: config().GITHUB_API_URL, auth, timeoutMs: 15_000 });
}

export function projectClient(credentials: ProjectCredentials): GithubClient {
  return clientFor(authOf(credentials));
}

/** Where GitHub delivers webhooks for this instance. */
export function webhookUrl(): string {
  return publicUrl("/api/github/webhook");
}
