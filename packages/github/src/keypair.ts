// Ed25519 deploy keys: the public half in OpenSSH authorized_keys format (what GitHub takes),
// the private half in the OpenSSH private key format that ssh reads.
import { generateKeyPairSync, randomBytes } from "node:crypto";

export interface DeployKeyPair {
  /** "ssh-ed25519 AAAA... comment" */
  publicKey: string;
  /** "-----BEGIN OPENSSH PRIVATE KEY-----..." (unencrypted; store it encrypted). */
  privateKey: string;
}

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

const KEY_TYPE = "ssh-ed25519";

export function generateDeployKeyPair(comment = "gantry"): DeployKeyPair {
  if (/[\r\n]/.test(comment)) throw new Error("key comment must be one line");
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);

  // openssh-key-v1 layout (PROTOCOL.key in OpenSSH's sources), no cipher, one key.
  const check = randomBytes(4);
  let privateSection = Buffer.concat([
    check,
    check,
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (privateSection.length % 8)) % 8 }, (_, i) => i + 1));
  privateSection = Buffer.concat([privateSection, padding]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return {
    publicKey: `${KEY_TYPE} ${publicBlob.toString("base64")}${comment ? ` ${comment}` : ""}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}

/** "type base64" without the comment: what identifies a public key. */
export function publicKeyIdentity(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(" ");
}
