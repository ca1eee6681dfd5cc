import { execFileSync, spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDeployKeyPair, publicKeyIdentity } from "./keypair";

const hasSshKeygen = spawnSync("ssh-keygen", ["-?"]).error === undefined;

describe("generateDeployKeyPair", () => {
  it("gives an OpenSSH ed25519 public key with a 32-byte key", () => {
    const { publicKey, privateKey } = generateDeployKeyPair("gantry@example");
    expect(publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* gantry@example$/);
    const blob = Buffer.from(publicKey.split(" ")[1]!, "base64");
    expect(blob.length).toBe(4 + 11 + 4 + 32);
    expect(privateKey).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/,
    );
    // The public half matches what node derives from the same raw key.
    const jwk = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: blob.subarray(19).toString("base64url") },
      format: "jwk",
    });
    expect(jwk.asymmetricKeyType).toBe("ed25519");
  });

  it("makes a new key each time", () => {
    expect(generateDeployKeyPair().publicKey).not.toBe(generateDeployKeyPair().publicKey);
  });

  it("refuses multi-line comments", () => {
    expect(() => generateDeployKeyPair("a\nb")).toThrow();
  });

  it("identifies a key by type and material, not comment", () => {
    expect(publicKeyIdentity("ssh-ed25519 AAAA c1")).toBe(
      publicKeyIdentity("ssh-ed25519 AAAA other comment\n"),
    );
  });

  it.skipIf(!hasSshKeygen)("writes a private key that ssh-keygen reads back to the same public key", () => {
    const dir = mkdtempSync(join(tmpdir(), "gantry-key-"));
    try {
      const { publicKey, privateKey } = generateDeployKeyPair("gantry-test");
      const file = join(dir, "id");
      writeFileSync(file, privateKey, { mode: 0o600 });
      const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
      expect(publicKeyIdentity(derived)).toBe(publicKeyIdentity(publicKey));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
