import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import {
  changedFiles,
  checkout,
  clone,
  fetch,
  GitError,
  headCommit,
  listLocalBranches,
  listSubmodules,
  lsRemoteBranches,
  readFileAt,
} from "@gantry/git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitFile, type Fixture, git, makeFixture } from "./repos";

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(async () => {
  await fx?.cleanup();
});

describe("clone", () => {
  it("checks out one commit of a branch with nested submodules, shallow", async () => {
    const tip = await git(fx.bare, "rev-parse", "refs/heads/main");
    const dir = join(fx.root, "clone-branch");
    const { sha } = await clone({ url: fx.url, dir, ref: "main", allowFileProtocol: true });
    expect(sha).toBe(tip);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("hello\n");
    expect(readFileSync(join(dir, "addons/sub/__manifest__.py"), "utf8")).toContain("sub");
    expect(readFileSync(join(dir, "addons/sub/lib/lib.txt"), "utf8")).toBe("lib v1\n");
    expect(await git(dir, "rev-parse", "--is-shallow-repository")).toBe("true");
    expect(await git(dir, "rev-list", "--count", "HEAD")).toBe("1");
    expect(await listSubmodules(dir)).toEqual(["addons/sub", "addons/sub/lib"]);
  });

  it("clones an older commit by sha", async () => {
    const first = await git(fx.bare, "rev-parse", "refs/heads/main~1");
    const dir = join(fx.root, "clone-sha");
    const { sha } = await clone({ url: fx.url, dir, ref: first, allowFileProtocol: true });
    expect(sha).toBe(first);
    expect(existsSync(join(dir, ".gitmodules"))).toBe(false);
    expect(await listSubmodules(dir)).toEqual([]);
  });

  it("refuses file:// submodules unless allowed", async () => {
    const dir = join(fx.root, "clone-no-file");
    const err = await clone({ url: fx.url, dir, ref: "main" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toMatch(/transport 'file' not allowed|submodule/);
  });

  it("reports a missing ref with git's message", async () => {
    const err = await clone({
      url: fx.url,
      dir: join(fx.root, "clone-missing"),
      ref: "no-such-branch",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).code).toBe("failed");
    expect((err as GitError).message).toMatch(/couldn't find remote ref no-such-branch/);
  });

  it("rejects URLs and refs that git would read as options", async () => {
    for (const [url, ref] of [
      ["--upload-pack=touch /tmp/pwned", "main"],
      [fx.url, "--upload-pack=touch /tmp/pwned"],
    ] as const) {
      const err = await clone({ url, dir: join(fx.root, "clone-inject"), ref }).catch((e: unknown) => e);
      expect((err as GitError).code).toBe("invalid_argument");
    }
    expect(existsSync("/tmp/pwned")).toBe(false);
  });

  it("keeps tokens in URLs out of error messages", async () => {
    const server = await listenClosedLater();
    const url = `http://x-access-token:ghs_SuperSecretToken@127.0.0.1:${server.port}/o/r.git`;
    server.close();
    const err = await clone({ url, dir: join(fx.root, "clone-token"), ref: "main" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect(String((err as GitError).message)).not.toContain("ghs_SuperSecretToken");
    expect((err as GitError).stderr).not.toContain("ghs_SuperSecretToken");
  });

  it("uses the deploy key over SSH and never shows it", async () => {
    const server = await listenClosedLater();
    server.close();
    const key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key-material\n-----END OPENSSH PRIVATE KEY-----";
    const err = await lsRemoteBranches(`ssh://git@127.0.0.1:${server.port}/o/r.git`, {
      sshKey: key,
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    // ssh itself ran (it reports the refused connection) and the key text is not in the error.
    expect((err as GitError).message).toMatch(/Connection refused|Could not read from remote/);
    expect((err as GitError).message).not.toContain("not-a-real-key-material");
  });

  it("times out a remote that never answers", async () => {
    // A TCP server that accepts and stays silent: git waits until the timeout kills it.
    const sockets: import("node:net").Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await lsRemoteBranches(`git://127.0.0.1:${port}/repo.git`, { timeoutMs: 1500 }).catch(
        (e: unknown) => e,
      );
      expect((err as GitError).code).toBe("timeout");
      expect((err as GitError).message).toMatch(/timed out/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe("reading a checkout", () => {
  it("gives the head commit, changed files and files at a commit", async () => {
    const before = await git(fx.work, "rev-parse", "HEAD");
    await commitFile(fx.work, "new_module.txt", "x\n", "feat: add a module\n\nwith a body: ü ; rm -rf /");
    await git(fx.work, "push", "--quiet", "origin", "HEAD:main");
    const dir = join(fx.root, "clone-full");
    const { sha } = await clone({ url: fx.url, dir, ref: "main", depth: null, allowFileProtocol: true });

    const head = await headCommit(dir);
    expect(head.sha).toBe(sha);
    expect(head.message).toBe("feat: add a module\n\nwith a body: ü ; rm -rf /");
    expect(head.author).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com" });
    expect(await changedFiles(dir, before, sha)).toEqual(["new_module.txt"]);
    expect(await readFileAt(dir, sha, "new_module.txt")).toBe("x\n");
    expect(await readFileAt(dir, before, "new_module.txt")).toBeNull();
    expect(await readFileAt(dir, sha, "addons/sub/__manifest__.py")).toBeNull();
  });
});

describe("branches and forced pushes", () => {
  it("lists branches remotely and locally and follows a forced push", async () => {
    await git(fx.work, "checkout", "--quiet", "-b", "feature/x");
    const v1 = await commitFile(fx.work, "feature.txt", "v1\n", "feature v1");
    await git(fx.work, "push", "--quiet", "origin", "feature/x");

    const remote = await lsRemoteBranches(fx.url);
    expect(remote).toContainEqual({ name: "feature/x", sha: v1 });
    expect(await listLocalBranches(fx.bare)).toEqual(remote);

    const dir = join(fx.root, "clone-feature");
    expect((await clone({ url: fx.url, dir, ref: "feature/x", allowFileProtocol: true })).sha).toBe(v1);

    // Rewrite history and force-push: the branch tip moves to a commit that is not a descendant.
    await git(fx.work, "reset", "--quiet", "--hard", "HEAD~1");
    const v2 = await commitFile(fx.work, "feature.txt", "v2\n", "feature v2 (rewritten)");
    await git(fx.work, "push", "--quiet", "--force", "origin", "feature/x");
    expect(await lsRemoteBranches(fx.url)).toContainEqual({ name: "feature/x", sha: v2 });

    const fetched = await fetch(dir, { ref: "feature/x" });
    expect(fetched.sha).toBe(v2);
    await checkout(dir, fetched.sha);
    expect(readFileSync(join(dir, "feature.txt"), "utf8")).toBe("v2\n");
    expect((await headCommit(dir)).message).toBe("feature v2 (rewritten)");
    await git(fx.work, "checkout", "--quiet", "main");
  });
});

/** A free port on loopback (listening is stopped by the caller, so connects are refused). */
async function listenClosedLater(): Promise<{ port: number; close: () => void }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { port, close: () => server.close() };
}
