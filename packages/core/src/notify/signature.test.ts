import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifyBodySignature } from "./signature";

describe("webhook signature", () => {
  const body = '{"event":"test","title":"Ünïcode"}';
  const secret = "a-secret-of-some-length";

  it("is GitHub's form: sha256= and the hex HMAC-SHA256 of the raw bytes", () => {
    const hex = createHmac("sha256", secret).update(Buffer.from(body, "utf8")).digest("hex");
    expect(signBody(body, secret)).toBe(`sha256=${hex}`);
    // A known vector, so a change of algorithm or encoding shows.
    expect(signBody("hello", "key")).toBe(
      "sha256=9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b",
    );
  });

  it("verifies the right body and refuses a changed body, another secret or no header", () => {
    const header = signBody(body, secret);
    expect(verifyBodySignature(body, secret, header)).toBe(true);
    expect(verifyBodySignature(`${body} `, secret, header)).toBe(false);
    expect(verifyBodySignature(body, `${secret}x`, header)).toBe(false);
    expect(verifyBodySignature(body, secret, header.replace("sha256=", "sha1="))).toBe(false);
    expect(verifyBodySignature(body, secret, undefined)).toBe(false);
  });
});
