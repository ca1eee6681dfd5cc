// Who an SSH connection is and where it may go. The key names the person (a key belongs to one
// account); the SSH user names the build, by id or by its slug (the first label of its URL);
// the Shell right of the build's stage decides, exactly as for the web shell.
import { timingSafeEqual } from "node:crypto";
import { prisma } from "@gantry/db";
import { principalOf } from "../auth/actor";
import { AppError } from "../errors";
import { buildHost } from "../routing";
import { type ShellGrant, shellGrant } from "../shell/ticket";
import { fingerprintOf } from "./public-key";

/** The user whose registered key this is (same type and bytes), or null. */
export async function sshKeyOwner(
  type: string,
  blob: Buffer,
): Promise<{ userId: string; keyId: string } | null> {
  const row = await prisma().sshKey.findUnique({
    where: { fingerprint: fingerprintOf(blob) },
    select: { id: true, userId: true, publicKey: true },
  });
  if (!row) return null;
  const stored = Buffer.from(row.publicKey.split(" ")[1] ?? "", "base64");
  if (
    row.publicKey.split(" ")[0] !== type ||
    stored.length !== blob.length ||
    !timingSafeEqual(stored, blob)
  ) {
    return null;
  }
  return { userId: row.userId, keyId: row.id };
}

/** The serving build an SSH user names: a build id, or the slug of its URL. */
async function buildOfSshUser(name: string): Promise<string | null> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) return null;
  const byId = await prisma().build.findUnique({ where: { id: name }, select: { id: true } });
  if (byId) return byId.id;
  const bySlug = await prisma().build.findFirst({
    where: {
      url: { in: [`http://${buildHost(name)}`, `https://${buildHost(name)}`] },
      cleanedAt: null,
      servingAt: { not: null },
    },
    orderBy: { servingAt: "desc" },
    select: { id: true },
  });
  return bySlug?.id ?? null;
}

export type SshDecision = { grant: ShellGrant } | { refusal: string };

/**
 * What the holder of this key may do as this SSH user: a shell grant, or why not. Unknown
 * builds and builds the person may not see are the same refusal, so names cannot be probed.
 */
export async function sshDecision(
  owner: { userId: string; keyId: string },
  sshUser: string,
): Promise<SshDecision> {
  const actor = await principalOf(owner.userId, null);
  if (!actor) return { refusal: "unknown user" };
  const buildId = await buildOfSshUser(sshUser);
  if (!buildId) return { refusal: `no build "${sshUser.slice(0, 64)}"` };
  try {
    const grant = await shellGrant(actor, buildId);
    await prisma().sshKey.updateMany({ where: { id: owner.keyId }, data: { lastUsedAt: new Date() } });
    return { grant };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "not_found") return { refusal: `no build "${sshUser.slice(0, 64)}"` };
    return { refusal: error.message };
  }
}
