import { describe, expect, it } from "vitest";
import { sshFailureOf } from "./ssh-failure";

describe("sshFailureOf", () => {
  it("names the usual refusals of an SSH clone", () => {
    expect(
      sshFailureOf(
        "git@127.0.0.1: Permission denied (publickey).\r\nfatal: Could not read from remote repository.",
      ),
    ).toBe("key_refused");
    expect(sshFailureOf("ERROR: Repository not found.\nfatal: Could not read from remote repository.")).toBe(
      "key_refused",
    );
    expect(
      sshFailureOf(
        "@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.",
      ),
    ).toBe("host_key_changed");
    expect(
      sshFailureOf(
        "No ED25519 host key is known for x and you have requested strict checking.\nHost key verification failed.",
      ),
    ).toBe("host_unknown");
    expect(sshFailureOf("ssh: connect to host 127.0.0.1 port 1: Connection refused")).toBe("unreachable");
    expect(sshFailureOf("fatal: couldn't find remote ref deadbeef")).toBeNull();
  });
});
