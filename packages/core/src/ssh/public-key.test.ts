import { describe, expect, it } from "vitest";
import { parsePublicKey } from "./public-key";

// Made with ssh-keygen; the fingerprint is the one `ssh-keygen -lf` printed for it.
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMyjEDIosi51DrNQbYdg5xEIYRabI5IVyfWGYEGXCp9r test";
const RSA_1024 =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDExgcKPN2jMeMNHN3qTbMZW98HWo2lvuHfu0OoRjYenzG3V+utYNp3M7RyuvjqByY6uHN++myROJ+okggdI3pV9XGiGQ5mJqcfoIaulkPIjUrNDX9kw6sC84Uaz3RubdvZ9XljNug7WxzjQ8ZGIirfAqbDSleUNAYAH7rABI6jTw==";

describe("SSH public keys", () => {
  it("reads an authorized_keys line: type, normalized line, comment, ssh-keygen's fingerprint", () => {
    const key = parsePublicKey(`  ${ED25519}  \n`);
    expect(key.type).toBe("ssh-ed25519");
    expect(key.line).toBe(ED25519.replace(/ test$/, ""));
    expect(key.comment).toBe("test");
    expect(key.fingerprint).toBe("SHA256:kVJcCKeTr+hOJ4eC8CCflzXofmxLslKRXsWennVh9F8");
  });

  it("refuses other types, bad base64, a blob of another type, a truncated blob, small RSA keys", () => {
    const data = ED25519.split(" ")[1] as string;
    expect(() => parsePublicKey(`ssh-dss ${data}`)).toThrow(/type/);
    expect(() => parsePublicKey("ssh-ed25519 not*base64")).toThrow(/base64/);
    expect(() => parsePublicKey(`ecdsa-sha2-nistp256 ${data}`)).toThrow(/does not match/);
    expect(() => parsePublicKey(`ssh-ed25519 ${data.slice(0, 40)}`)).toThrow(/truncated|match/);
    expect(() => parsePublicKey(RSA_1024)).toThrow(/2048 bits/);
    expect(() => parsePublicKey("")).toThrow();
  });
});
