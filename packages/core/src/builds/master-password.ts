// Odoo's master password (admin_passwd) guards its database manager. The dashboard never
// exposes the manager (builds serve with --no-database-list), but a default "admin" would open it
// to anyone the moment that flag went missing: each serve gets a random one, kept encrypted.
import { randomBytes } from "node:crypto";
import { prisma } from "@gantry/db";
import { decrypt, encrypt } from "@gantry/secrets";
import { secretKey } from "../secret-key";

/** A new master password for the build's next serve, stored encrypted; returns it. */
export async function issueMasterPassword(buildId: string): Promise<string> {
  const password = randomBytes(24).toString("base64url");
  await prisma().build.update({
    where: { id: buildId },
    data: { masterPasswordEnc: encrypt(password, secretKey("master passwords")) },
  });
  return password;
}

/** The build's master password, or null when it never served with one. */
export async function masterPasswordOf(buildId: string): Promise<string | null> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { masterPasswordEnc: true },
  });
  return build?.masterPasswordEnc ? decrypt(build.masterPasswordEnc, secretKey("master passwords")) : null;
}
