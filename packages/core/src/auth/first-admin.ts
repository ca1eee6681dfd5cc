import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { createUserWithPassword, generatePassword } from "./users";

export type FirstAdminResult =
  | { created: false; reason: "admin exists" }
  | { created: true; email: string; generatedPassword: string | null };

/**
 * On the first start, creates the first administrator from ADMIN_EMAIL / ADMIN_PASSWORD, or
 * with a generated password that the caller prints once. Does nothing once any admin exists.
 */
export async function ensureFirstAdmin(): Promise<FirstAdminResult> {
  const existing = await prisma().user.count({ where: { isAdmin: true } });
  if (existing > 0) return { created: false, reason: "admin exists" };
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = config();
  const password = ADMIN_PASSWORD ?? generatePassword();
  await createUserWithPassword({ email: ADMIN_EMAIL, name: "Administrator", password, isAdmin: true });
  return { created: true, email: ADMIN_EMAIL, generatedPassword: ADMIN_PASSWORD ? null : password };
}
