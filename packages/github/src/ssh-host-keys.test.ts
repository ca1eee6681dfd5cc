import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GITHUB_SSH_HOST_KEYS } from "./ssh-host-keys";

// The SHA256 fingerprints GitHub publishes beside the keys: a typo in a key would change them.
const published = {
  "ssh-ed25519": "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU",
  "ecdsa-sha2-nistp256": "SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM",
  "ssh-rsa": "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
};

function fingerprint(blob: string): string {
  return `SHA256:${createHash("sha256").update(Buffer.from(blob, "base64")).digest("base64").replace(/=+$/, "")}`;
}

describe("github.com host keys", () => {
  it("match the fingerprints GitHub publishes", () => {
    const seen = Object.fromEntries(
      GITHUB_SSH_HOST_KEYS.map((line) => {
        const [type, blob] = line.split(" ");
        return [type, fingerprint(blob!)];
      }),
    );
    expect(seen).toEqual(published);
  });
});
