import { describe, expect, it } from "vitest";
import { decrypt, encrypt, isEncrypted, REDACTED, redact, SecretBoxError } from "./index";

const SECRET = "a-long-enough-instance-secret-0123456789";

describe("encrypt / decrypt", () => {
  it("round-trips text, including unicode and empty strings", () => {
    for (const plain of ["ghp_token123", "", "clé 🔑 ключ", "x".repeat(100_000)]) {
      const box = encrypt(plain, SECRET);
      expect(isEncrypted(box)).toBe(true);
      expect(box).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$/);
      expect(decrypt(box, SECRET)).toBe(plain);
    }
  });

  it("uses a fresh IV each time", () => {
    expect(encrypt("same", SECRET)).not.toBe(encrypt("same", SECRET));
  });

  it("does not leak the plaintext", () => {
    expect(encrypt("ghp_visible_token", SECRET)).not.toContain("ghp_visible_token");
  });

  it("rejects a wrong secret", () => {
    const box = encrypt("token", SECRET);
    expect(() => decrypt(box, `${SECRET}-other`)).toThrow(SecretBoxError);
  });

  it("detects tampering with any part", () => {
    const box = encrypt("token-value", SECRET);
    const parts = box.split(":");
    for (const index of [1, 2, 3]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      altered[index] = bytes.toString("base64url");
      expect(() => decrypt(altered.join(":"), SECRET)).toThrow(SecretBoxError);
    }
  });

  it("rejects unknown versions and malformed boxes", () => {
    const box = encrypt("token", SECRET);
    expect(() => decrypt(box.replace(/^v1:/, "v2:"), SECRET)).toThrow(/version/);
    expect(() => decrypt("plain-text", SECRET)).toThrow(SecretBoxError);
    expect(() => decrypt("v1:a:b", SECRET)).toThrow(SecretBoxError);
    expect(() => decrypt("v1:!!:??:..", SECRET)).toThrow(SecretBoxError);
  });

  it("refuses a short secret", () => {
    expect(() => encrypt("x", "short")).toThrow(/at least 16/);
  });
});

describe("redact", () => {
  it("scrubs every occurrence of each known secret", () => {
    const text = "token ghp_abc123 used twice: ghp_abc123; key=-----KEY-----";
    const out = redact(text, ["ghp_abc123", "-----KEY-----"]);
    expect(out).toBe(`token ${REDACTED} used twice: ${REDACTED}; key=${REDACTED}`);
  });

  it("removes the longest secret whole when one contains another", () => {
    expect(redact("abcdefgh", ["abcd", "abcdefgh"])).toBe(REDACTED);
  });

  it("ignores empty and very short values", () => {
    expect(redact("a b c", ["", "a", undefined, null])).toBe("a b c");
  });

  it("scrubs credentials embedded in URLs", () => {
    expect(redact("fatal: https://x-access-token:ghs_123@github.com/o/r.git", [])).toBe(
      `fatal: https://${REDACTED}@github.com/o/r.git`,
    );
  });

  it("treats regex characters in secrets literally", () => {
    expect(redact("a.*b and a.*b", ["a.*b"])).toBe(`${REDACTED} and ${REDACTED}`);
  });
});
