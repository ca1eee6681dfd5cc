import { describe, expect, it } from "vitest";
import { renewalOverdue } from "./certificate";

describe("renewalOverdue", () => {
  // A 90-day certificate, as Let's Encrypt issues them: Caddy renews with 30 days left.
  const issuedAt = new Date("2026-01-01T00:00:00Z");
  const expiresAt = new Date("2026-04-01T00:00:00Z");
  const day = 24 * 60 * 60 * 1000;

  it("is quiet while the renewal still has time (more than a quarter of the life left)", () => {
    expect(renewalOverdue({ issuedAt, expiresAt }, new Date(expiresAt.getTime() - 30 * day))).toBeNull();
    expect(renewalOverdue({ issuedAt, expiresAt }, new Date(expiresAt.getTime() - 23 * day))).toBeNull();
  });

  it("says renewal is failing with less than a quarter left, and expired after the end", () => {
    expect(renewalOverdue({ issuedAt, expiresAt }, new Date(expiresAt.getTime() - 22 * day))).toBe(
      "the certificate expires at 2026-04-01T00:00:00Z and has not been renewed (renewal is failing)",
    );
    expect(renewalOverdue({ issuedAt, expiresAt }, new Date(expiresAt.getTime() + 1000))).toBe(
      "the certificate expired at 2026-04-01T00:00:00Z and was not renewed",
    );
  });
});
