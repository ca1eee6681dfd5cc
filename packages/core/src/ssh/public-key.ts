// OpenSSH public keys as people paste them (`type base64 [comment]`): checked, normalized to
// `type base64`, and named by their SHA-256 fingerprint as `ssh-keygen -lf` prints it.
import { createHash } from "node:crypto";
import { AppError } from "../errors";

const ALLOWED_TYPES = new Set([
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-rsa",
]);
const MIN_RSA_BITS = 2048;

export interface PublicKey {
  type: string;
  /** `type base64`: what is stored and compared. */
  line: string;
  blob: Buffer;
  fingerprint: string;
  comment: string;
}

/** Reads the length-prefixed strings of an SSH wire blob. */
function wireStrings(blob: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) throw new Error("truncated");
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) throw new Error("truncated");
    parts.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return parts;
}

function rsaBits(modulus: Buffer): number {
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start += 1;
  if (start === modulus.length) return 0;
  return (modulus.length - start - 1) * 8 + (modulus[start] as number).toString(2).length;
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Parses one public key line; an AppError `invalid_input` says what is wrong with it. */
export function parsePublicKey(text: string): PublicKey {
  const fields = text.trim().split(/\s+/);
  const [type = "", data = ""] = fields;
  const comment = fields.slice(2).join(" ").slice(0, 200);
  const refuse = (why: string) => new AppError("invalid_input", `Not a usable SSH public key: ${why}`);
  if (!ALLOWED_TYPES.has(type)) throw refuse(`the type "${type.slice(0, 40)}" is not accepted`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length > 8192) throw refuse("the key is not base64");
  const blob = Buffer.from(data, "base64");
  let parts: Buffer[];
  try {
    parts = wireStrings(blob);
  } catch {
    throw refuse("the key data is truncated");
  }
  if (parts[0]?.toString("latin1") !== type) throw refuse("the key data does not match its type");
  if (type === "ssh-rsa" && rsaBits(parts[2] ?? Buffer.alloc(0)) < MIN_RSA_BITS) {
    throw refuse(`RSA keys need at least ${MIN_RSA_BITS} bits`);
  }
  return {
    type,
    line: `${type} ${blob.toString("base64")}`,
    blob,
    fingerprint: fingerprintOf(blob),
    comment,
  };
}
