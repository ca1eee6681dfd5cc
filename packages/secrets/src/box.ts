// Encryption at rest for tokens and keys: AES-256-GCM, key derived from the instance secret.
// Format: v1:<iv>:<tag>:<data>, each part base64url. The version prefix lets the scheme change
// later while old boxes still open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Fixed salt and info: the key must be reproducible from the secret alone; the info string
// separates this use from any other key derived from the same secret.
const SALT = Buffer.from("gantry.secrets");
const INFO = Buffer.from("gantry.secrets.v1.aes-256-gcm");

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

const keys = new Map<string, Buffer>();

function deriveKey(secret: string): Buffer {
  if (secret.length < 16) throw new SecretBoxError("secret must be at least 16 characters");
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), SALT, INFO, 32));
    keys.set(secret, key);
  }
  return key;
}

export function encrypt(plain: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(VERSION));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(":");
}

const B64URL = /^[A-Za-z0-9_-]*$/;

export function isEncrypted(value: string): boolean {
  return value.startsWith(`${VERSION}:`) && value.split(":").length === 4;
}

export function decrypt(box: string, secret: string): string {
  const parts = box.split(":");
  if (parts.length !== 4) throw new SecretBoxError("not an encrypted value");
  const [version, ivText, tagText, dataText] = parts as [string, string, string, string];
  if (version !== VERSION) throw new SecretBoxError(`unknown format version ${JSON.stringify(version)}`);
  if (![ivText, tagText, dataText].every((p) => B64URL.test(p))) throw new SecretBoxError("not base64url");
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError("bad iv or tag length");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(version));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    // GCM authentication failed: wrong secret or the value was altered.
    throw new SecretBoxError("value was tampered with or the secret is wrong");
  }
}
