import { randomBytes, randomUUID } from "node:crypto";
import { type Prisma, prisma } from "@gantry/db";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { AppError } from "../errors";

export const newUserInput = z.object({
  email: z.email().transform((v) => v.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8, "at least 8 characters").max(200),
  isAdmin: z.boolean().default(false),
  githubLogin: z.string().trim().min(1).max(39).optional(),
});
export type NewUserInput = z.input<typeof newUserInput>;

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  githubLogin: string | null;
}

const summary = { id: true, email: true, name: true, isAdmin: true, githubLogin: true } as const;

/**
 * Creates a user who signs in with email and password. The password is hashed by better-auth
 * (scrypt) and stored on a "credential" account, exactly as its own sign-up would.
 */
export async function createUserWithPassword(
  input: NewUserInput,
  db: Prisma.TransactionClient = prisma(),
): Promise<UserSummary> {
  const data = newUserInput.parse(input);
  const existing = await db.user.findUnique({ where: { email: data.email } });
  if (existing) throw new AppError("conflict", `A user with email ${data.email} already exists`);
  const id = randomUUID();
  const hash = await hashPassword(data.password);
  return db.user.create({
    data: {
      id,
      email: data.email,
      name: data.name,
      isAdmin: data.isAdmin,
      githubLogin: data.githubLogin ?? null,
      emailVerified: true,
      accounts: { create: { id: randomUUID(), providerId: "credential", accountId: id, password: hash } },
    },
    select: summary,
  });
}

export async function findUserByEmail(email: string): Promise<UserSummary | null> {
  return prisma().user.findUnique({ where: { email: email.toLowerCase() }, select: summary });
}

/** A password a person can type and that resists guessing: 24 characters of base64url. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
