import { describe, expect, it } from "vitest";
import { sshCommand, sshUserOf } from "./command";

describe("the ssh command of a build", () => {
  it("uses the dashboard's host and SSH_LISTEN's port", () => {
    const settings = { PUBLIC_URL: "https://gantry.example.com", SSH_LISTEN: "0.0.0.0:2222" };
    expect(sshCommand("acme-main-1a2b", settings)).toBe("ssh acme-main-1a2b@gantry.example.com -p 2222");
  });

  it("names the build by its URL's slug, or by its id before it has one", () => {
    expect(sshUserOf({ id: "cm1", url: "http://acme-main-1a2b.builds.example.com" })).toBe("acme-main-1a2b");
    expect(sshUserOf({ id: "cm1", url: null })).toBe("cm1");
  });
});
