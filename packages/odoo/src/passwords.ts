// Odoo stores `res_users.password` through passlib: `$pbkdf2-sha512$ROUNDS$SALT$HASH` since
// 12.0 (600 000 rounds from 17.0), where SALT and HASH are passlib's "adapted base64"
// (standard base64 with `.` instead of `+`, without `=` padding) of the raw bytes, and the
// hash is PBKDF2-HMAC(password, salt, rounds) with the digest's length (sha512: 64 bytes,
// sha256: 32, sha1: 20). Very old databases may hold plaintext passwords.
import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

const SCHEMES = {
  "pbkdf2-sha512": { digest: "sha512", length: 64 },
  "pbkdf2-sha256": { digest: "sha256", length: 32 },
  pbkdf2: { digest: "sha1", length: 20 },
} as const;

export type PasswordScheme = keyof typeof SCHEMES;

/** Rounds Odoo uses since 17.0. */
export const ODOO_PBKDF2_ROUNDS = 600_000;
/** Hostile rows could name absurd round counts: refuse to spend more than this per check. */
export const MAX_PBKDF2_ROUNDS = 5_000_000;

export interface ParsedHash {
  scheme: PasswordScheme;
  rounds: number;
  salt: Buffer;
  checksum: Buffer;
}

export function ab64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, ".").replace(/=+$/, "");
}

export function ab64Decode(text: string): Buffer {
  if (!/^[A-Za-z0-9./]*$/.test(text)) throw new Error("not adapted base64");
  return Buffer.from(text.replace(/\./g, "+"), "base64");
}

/** Parses a passlib pbkdf2 hash; undefined when the value is not one. */
export function parsePbkdf2Hash(value: string): ParsedHash | undefined {
  const match =
    /^\$(pbkdf2-sha512|pbkdf2-sha256|pbkdf2)\$(\d{1,8})\$([A-Za-z0-9./]{0,128})\$([A-Za-z0-9./]{1,128})$/.exec(
      value,
    );
  if (!match) return undefined;
  const scheme = match[1] as PasswordScheme;
  const checksum = ab64Decode(match[4] as string);
  if (checksum.length !== SCHEMES[scheme].length) return undefined;
  return { scheme, rounds: Number(match[2]), salt: ab64Decode(match[3] as string), checksum };
}

export async function hashPassword(
  password: string,
  options: { scheme?: PasswordScheme; rounds?: number; salt?: Buffer } = {},
): Promise<string> {
  const scheme = options.scheme ?? "pbkdf2-sha512";
  const rounds = options.rounds ?? ODOO_PBKDF2_ROUNDS;
  const salt = options.salt ?? randomBytes(16);
  const { digest, length } = SCHEMES[scheme];
  const key = await pbkdf2Async(Buffer.from(password, "utf8"), salt, rounds, length, digest);
  return `$${scheme}$${rounds}$${ab64Encode(salt)}$${ab64Encode(key)}`;
}

/**
 * Whether `password` matches the stored value: a pbkdf2 hash, or plaintext (anything not
 * starting with `$`). Unknown hash formats and excessive round counts never match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored === "") return false;
  if (!stored.startsWith("$")) {
    const a = Buffer.from(password, "utf8");
    const b = Buffer.from(stored, "utf8");
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const parsed = parsePbkdf2Hash(stored);
  if (!parsed || parsed.rounds < 1 || parsed.rounds > MAX_PBKDF2_ROUNDS) return false;
  const { digest, length } = SCHEMES[parsed.scheme];
  const key = await pbkdf2Async(Buffer.from(password, "utf8"), parsed.salt, parsed.rounds, length, digest);
  return timingSafeEqual(key, parsed.checksum);
}
