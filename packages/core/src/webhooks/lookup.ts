// Which project a delivery is for, read from the (not yet verified) body: only to choose the
// secret to verify with. Nothing else from the body is trusted before the signature is checked.
import { prisma } from "@gantry/db";

export function claimedRepository(raw: Buffer): { owner: string; repo: string } | null {
  try {
    const body = JSON.parse(raw.toString("utf8")) as { repository?: { full_name?: unknown } };
    const fullName = body?.repository?.full_name;
    if (typeof fullName !== "string" || fullName.length > 300) return null;
    const [owner, repo, extra] = fullName.split("/");
    if (!owner || !repo || extra !== undefined) return null;
    return { owner, repo };
  } catch {
    return null;
  }
}

export async function projectForRepository(owner: string, repo: string) {
  return prisma().project.findFirst({
    where: {
      githubOwner: { equals: owner, mode: "insensitive" },
      githubRepo: { equals: repo, mode: "insensitive" },
    },
  });
}
