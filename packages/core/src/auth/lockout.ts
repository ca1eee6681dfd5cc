import { config } from "@gantry/config";
import { prisma } from "@gantry/db";

/**
 * Wrong passwords are counted per email and client address in PostgreSQL, so every web
 * process sees the same count: after SIGN_IN_MAX_FAILURES within SIGN_IN_LOCK_MINUTES, sign-in
 * for that pair is refused until the oldest failure leaves the window. The same rows counted
 * over all addresses lock the account itself after SIGN_IN_ACCOUNT_MAX_FAILURES, so guessing
 * from many addresses is bounded too.
 */
export interface LockState {
  locked: boolean;
  failures: number;
  retryAfterSeconds: number;
}

function windowMs(): number {
  return config().SIGN_IN_LOCK_MINUTES * 60_000;
}

async function countedState(
  where: { email: string; ip?: string },
  max: number,
  now: Date,
): Promise<LockState> {
  const since = new Date(now.getTime() - windowMs());
  const rows = await prisma().signInAttempt.findMany({
    where: { ...where, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: max,
    select: { createdAt: true },
  });
  if (rows.length < max) return { locked: false, failures: rows.length, retryAfterSeconds: 0 };
  // The lock lifts when the oldest of the last `max` failures leaves the window.
  const oldest = rows[rows.length - 1]!.createdAt.getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs() - now.getTime()) / 1000));
  return { locked: true, failures: rows.length, retryAfterSeconds };
}

/** The failures of one email from one address. */
export function lockState(email: string, ip: string, now = new Date()): Promise<LockState> {
  return countedState({ email: email.toLowerCase(), ip }, config().SIGN_IN_MAX_FAILURES, now);
}

/** The failures of one account from every address together. */
export function accountLockState(email: string, now = new Date()): Promise<LockState> {
  return countedState({ email: email.toLowerCase() }, config().SIGN_IN_ACCOUNT_MAX_FAILURES, now);
}

export async function recordFailure(email: string, ip: string): Promise<void> {
  await prisma().signInAttempt.create({ data: { email: email.toLowerCase(), ip } });
}

/** A successful sign-in forgets the failures of that pair; old rows of all pairs go too. */
export async function clearFailures(email: string, ip: string): Promise<void> {
  const db = prisma();
  await db.signInAttempt.deleteMany({
    where: {
      OR: [{ email: email.toLowerCase(), ip }, { createdAt: { lt: new Date(Date.now() - 2 * windowMs()) } }],
    },
  });
}

export function lockedMessage(retryAfterSeconds: number, scope: "address" | "account" = "address"): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const from = scope === "address" ? " from your address" : "";
  return `Too many wrong passwords for this account${from}. Sign-in is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
