// Connecting a project's repository: check access, create the webhook and a read-only deploy
// key, store every secret encrypted. What the API shows never holds a secret.
import { randomBytes } from "node:crypto";
import { prisma } from "@gantry/db";
import { DEFAULT_WEBHOOK_EVENTS, generateDeployKeyPair } from "@gantry/github";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { appCredentials, clientFor, seal, webhookUrl } from "./client";
import { viaGithub } from "./errors";

export const connectInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("token"), token: z.string().trim().min(10).max(500) }),
  z.object({ kind: z.literal("app"), installationId: z.coerce.number().int().positive() }),
]);

export interface GithubConnection {
  repository: string;
  connected: boolean;
  authKind: "token" | "app" | null;
  installationId: number | null;
  connectedAt: Date | null;
  webhook: { url: string; hookId: number | null };
  deployKey: { publicKey: string | null; keyId: number | null };
  stagingLimit: number;
}

const connectionSelect = {
  id: true,
  githubOwner: true,
  githubRepo: true,
  githubAuthKind: true,
  githubInstallationId: true,
  githubConnectedAt: true,
  webhookHookId: true,
  deployKeyPublic: true,
  deployKeyId: true,
  stagingLimit: true,
} as const;

async function loadProject(projectId: string) {
  const project = await prisma().project.findUnique({ where: { id: projectId }, select: connectionSelect });
  if (!project) throw new AppError("not_found", "No such project");
  return project;
}

function view(p: Awaited<ReturnType<typeof loadProject>>): GithubConnection {
  return {
    repository: `${p.githubOwner}/${p.githubRepo}`,
    connected: p.githubAuthKind !== null,
    authKind: p.githubAuthKind === null ? null : p.githubAuthKind === "TOKEN" ? "token" : "app",
    installationId: p.githubInstallationId === null ? null : Number(p.githubInstallationId),
    connectedAt: p.githubConnectedAt,
    webhook: { url: webhookUrl(), hookId: p.webhookHookId === null ? null : Number(p.webhookHookId) },
    deployKey: { publicKey: p.deployKeyPublic, keyId: p.deployKeyId === null ? null : Number(p.deployKeyId) },
    stagingLimit: p.stagingLimit,
  };
}

export async function getGithubConnection(actor: Actor, projectId: string): Promise<GithubConnection> {
  assertCan(actor, "project_settings", { projectId });
  return view(await loadProject(projectId));
}

/**
 * Connects (or reconnects) the repository: the credentials must reach it with admin rights,
 * then the webhook (fresh secret) and the deploy key are put in place, idempotently.
 */
export async function connectGithub(
  actor: Actor,
  projectId: string,
  input: z.input<typeof connectInput>,
  ip?: string,
): Promise<GithubConnection> {
  assertCan(actor, "project_settings", { projectId });
  const data = connectInput.parse(input);
  const project = await loadProject(projectId);
  const auth =
    data.kind === "token"
      ? { token: data.token }
      : { ...appCredentials(), installationId: data.installationId };
  const github = clientFor(auth);
  const { githubOwner: owner, githubRepo: repo } = project;

  const repository = await viaGithub(() => github.getRepository(owner, repo));
  if (repository.permissions && !repository.permissions.admin) {
    throw new AppError(
      "forbidden",
      `GitHub: the credentials lack admin access to ${owner}/${repo} (needed to add the webhook and deploy key)`,
    );
  }
  const secret = randomBytes(32).toString("hex");
  const hook = await viaGithub(() =>
    github.ensureWebhook(owner, repo, { url: webhookUrl(), secret, events: DEFAULT_WEBHOOK_EVENTS }),
  );
  // The key pair is kept across reconnections: its public half may already be on GitHub.
  const existing = await prisma().project.findUnique({
    where: { id: projectId },
    select: { deployKeyPublic: true, deployKeyPrivateEnc: true },
  });
  const pair =
    existing?.deployKeyPublic && existing.deployKeyPrivateEnc
      ? { publicKey: existing.deployKeyPublic, privateKeyEnc: existing.deployKeyPrivateEnc }
      : (() => {
          const generated = generateDeployKeyPair(`gantry-${projectId}`);
          return { publicKey: generated.publicKey, privateKeyEnc: seal(generated.privateKey) };
        })();
  const key = await viaGithub(() =>
    github.ensureDeployKey(owner, repo, { title: `Gantry (${projectId})`, publicKey: pair.publicKey }),
  );

  await prisma().project.update({
    where: { id: projectId },
    data: {
      githubAuthKind: data.kind === "token" ? "TOKEN" : "APP",
      githubTokenEnc: data.kind === "token" ? seal(data.token) : null,
      githubInstallationId: data.kind === "app" ? BigInt(data.installationId) : null,
      githubConnectedAt: new Date(),
      webhookSecretEnc: seal(secret),
      webhookHookId: BigInt(hook.id),
      deployKeyPublic: pair.publicKey,
      deployKeyPrivateEnc: pair.privateKeyEnc,
      deployKeyId: BigInt(key.id),
    },
  });
  await recordAudit({
    action: "github.connected",
    projectId,
    userId: actor.userId,
    ip,
    data: { repository: repository.fullName, kind: data.kind, hookId: hook.id, keyId: key.id },
  });
  return view(await loadProject(projectId));
}

export const stagingLimitInput = z.object({ stagingLimit: z.number().int().min(0).max(50) });

export async function setStagingLimit(
  actor: Actor,
  projectId: string,
  input: z.input<typeof stagingLimitInput>,
  ip?: string,
): Promise<GithubConnection> {
  assertCan(actor, "project_settings", { projectId });
  const { stagingLimit } = stagingLimitInput.parse(input);
  await loadProject(projectId);
  await prisma().project.update({ where: { id: projectId }, data: { stagingLimit } });
  await recordAudit({
    action: "project.staging_limit",
    projectId,
    userId: actor.userId,
    ip,
    data: { stagingLimit },
  });
  return view(await loadProject(projectId));
}
