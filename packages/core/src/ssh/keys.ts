// The SSH keys of a user's account: listed, added (pasted or imported from the user's GitHub
// account) and removed by their owner, signed in (an API token never manages them: a key opens
// shells on every project the person may reach). A key belongs to one account.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { createOctokit, GITHUB_LOGIN_PATTERN, listUserPublicKeys } from "@gantry/github";
import type { Actor } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { viaGithub } from "../github/errors";
import { type PublicKey, parsePublicKey } from "./public-key";

const MAX_KEYS_PER_USER = 50;

export interface SshKeySummary {
  id: string;
  title: string;
  type: string;
  fingerprint: string;
  source: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const summary = {
  id: true,
  title: true,
  publicKey: true,
  fingerprint: true,
  source: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

function toSummary(row: {
  id: string;
  title: string;
  publicKey: string;
  fingerprint: string;
  source: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}): SshKeySummary {
  const { publicKey, ...rest } = row;
  return { ...rest, type: publicKey.split(" ")[0] ?? "" };
}

function assertSignedIn(actor: Actor): void {
  if (actor.tokenProjectIds !== null) {
    throw new AppError("forbidden", "SSH keys are managed from a signed-in session, not with an API token");
  }
}

export async function listSshKeys(actor: Actor): Promise<SshKeySummary[]> {
  assertSignedIn(actor);
  const rows = await prisma().sshKey.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "asc" },
    select: summary,
  });
  return rows.map(toSummary);
}

async function store(actor: Actor, key: PublicKey, title: string, source: string): Promise<SshKeySummary> {
  const existing = await prisma().sshKey.findUnique({
    where: { fingerprint: key.fingerprint },
    select: summary,
  });
  if (existing) {
    const mine = await prisma().sshKey.count({ where: { id: existing.id, userId: actor.userId } });
    if (mine) return toSummary(existing);
    throw new AppError("conflict", "This key is registered to another account");
  }
  if ((await prisma().sshKey.count({ where: { userId: actor.userId } })) >= MAX_KEYS_PER_USER) {
    throw new AppError("conflict", `An account holds at most ${MAX_KEYS_PER_USER} SSH keys`);
  }
  const row = await prisma().sshKey.create({
    data: { userId: actor.userId, title, publicKey: key.line, fingerprint: key.fingerprint, source },
    select: summary,
  });
  await recordAudit({
    action: "ssh_key.added",
    userId: actor.userId,
    target: row.id,
    data: { fingerprint: key.fingerprint, source },
  });
  return toSummary(row);
}

export async function addSshKey(
  actor: Actor,
  input: { title?: string; publicKey: string },
): Promise<SshKeySummary> {
  assertSignedIn(actor);
  const key = parsePublicKey(input.publicKey);
  const title = (input.title?.trim() || key.comment || key.type).slice(0, 100);
  return store(actor, key, title, "manual");
}

export async function removeSshKey(actor: Actor, keyId: string): Promise<void> {
  assertSignedIn(actor);
  const { count } = await prisma().sshKey.deleteMany({ where: { id: keyId, userId: actor.userId } });
  if (!count) throw new AppError("not_found", "SSH key not found");
  await recordAudit({ action: "ssh_key.removed", userId: actor.userId, target: keyId });
}

/**
 * Imports the public keys of a GitHub account (by default the one linked to the user's Gantry
 * account). Keys already in the account are kept as they are; keys Gantry does not accept (too
 * small, another account's) are reported, not imported.
 */
export async function importGithubSshKeys(
  actor: Actor,
  input: { username?: string },
): Promise<{ imported: SshKeySummary[]; skipped: { fingerprint: string | null; reason: string }[] }> {
  assertSignedIn(actor);
  const user = await prisma().user.findUnique({ where: { id: actor.userId }, select: { githubLogin: true } });
  const username = input.username?.trim() || user?.githubLogin;
  if (!username) throw new AppError("invalid_input", "Name the GitHub account to import keys from");
  if (!GITHUB_LOGIN_PATTERN.test(username)) throw new AppError("invalid_input", "Not a GitHub username");
  const octokit = createOctokit({ baseUrl: config().GITHUB_API_URL, timeoutMs: 15_000 });
  const keys = await viaGithub(() => listUserPublicKeys(octokit, username));
  const imported: SshKeySummary[] = [];
  const skipped: { fingerprint: string | null; reason: string }[] = [];
  for (const entry of keys) {
    try {
      const key = parsePublicKey(entry.key);
      imported.push(await store(actor, key, `GitHub ${username} #${entry.id}`, "github"));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      skipped.push({ fingerprint: null, reason: error.message });
    }
  }
  return { imported, skipped };
}
