// Who sent a caught mail: each staging or development build logs in to the catcher as itself
// (user = build id) with a random password of its own, so a build cannot pass its mail off as
// another's. Production builds never get one, and their id is refused.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { prisma } from "@gantry/db";
import { decrypt, encrypt } from "@gantry/secrets";
import { secretKey } from "../secret-key";

function secret(): string {
  return secretKey("mail credentials");
}

/** A new password for the build at the catcher, stored encrypted; returns the login. */
export async function issueMailLogin(buildId: string): Promise<{ user: string; password: string }> {
  const password = randomBytes(24).toString("hex");
  await prisma().build.update({
    where: { id: buildId },
    data: { mailPasswordEnc: encrypt(password, secret()) },
  });
  return { user: buildId, password };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The build a login belongs to, or null: unknown user, wrong password, production, cleaned. */
export async function mailLoginBuild(user: string, password: string): Promise<string | null> {
  if (!user || user.length > 100 || !password) return null;
  const build = await prisma().build.findUnique({
    where: { id: user },
    select: { id: true, stage: true, cleanedAt: true, mailPasswordEnc: true },
  });
  if (!build?.mailPasswordEnc || build.stage === "PRODUCTION" || build.cleanedAt) return null;
  let expected: string;
  try {
    expected = decrypt(build.mailPasswordEnc, secret());
  } catch {
    return null;
  }
  return sameText(expected, password) ? build.id : null;
}
