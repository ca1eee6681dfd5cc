// scripts/lib/debian-mirror.sh, run by bash on sample apt sources: which entry is Debian's
// main archive, in one-line and deb822 files, and what happens when none is.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const script = new URL("./debian-mirror.sh", import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "debian-mirror-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files (name -> content) and returns what debian_mirror_of prints for them. */
function mirrorOf(files: Record<string, string>): string {
  const paths = Object.entries(files).map(([name, content]) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  });
  return execFileSync("bash", ["-c", 'source "$0"; debian_mirror_of "$@"', script, ...paths], {
    encoding: "utf8",
  }).trim();
}

describe("debian_mirror_of", () => {
  it("takes the first deb entry of a Debian release with main from one-line sources", () => {
    const list = [
      "# deb http://old.example/debian bookworm main",
      "deb-src http://src.example/debian bookworm main",
      "deb http://security.example/debian-security bookworm-security main",
      "deb https://vendor.example/apt cloud-sdk-bookworm main",
      "deb http://contrib.example/debian bookworm contrib",
      "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian/ bookworm main contrib",
      "deb http://second.example/debian bookworm main",
    ].join("\n");
    expect(mirrorOf({ "sources.list": list })).toBe("http://mirror.example/debian/");
  });

  it("reads deb822 stanzas, skipping disabled ones, deb-src only ones and other archives", () => {
    const sources = [
      "Types: deb",
      "URIs: http://disabled.example/debian",
      "Suites: bookworm",
      "Components: main",
      "Enabled: no",
      "",
      "Types: deb-src",
      "URIs: http://src.example/debian",
      "Suites: bookworm",
      "Components: main",
      "",
      "Types: deb",
      "URIs: http://security.example/debian-security",
      "Suites: bookworm-security",
      "Components: main",
      "",
      "Types: deb deb-src",
      "# http://snapshot.example/archive/debian/20250520T000000Z",
      "URIs: http://mirror.example/debian http://other.example/debian",
      "Suites: bookworm",
      "  bookworm-updates",
      "Components: main",
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
    ].join("\n");
    expect(mirrorOf({ "debian.sources": sources })).toBe("http://mirror.example/debian");
  });

  it("reads files in the order given, a stanza ending at its file's end", () => {
    const vendor = "Types: deb\nURIs: https://vendor.example/node\nSuites: nodistro\nComponents: main\n";
    const debian = "Types: deb\nURIs: http://mirror.example/debian\nSuites: trixie\nComponents: main";
    const later = "deb http://later.example/debian trixie main\n";
    expect(mirrorOf({ "sources.list": "", "a.sources": vendor, "b.sources": debian, "c.list": later })).toBe(
      "http://mirror.example/debian",
    );
  });

  it("prints nothing when no entry is Debian's main archive", () => {
    const ubuntu = "deb http://ubuntu.example/ubuntu noble main restricted\n";
    expect(mirrorOf({ "sources.list": ubuntu })).toBe("");
  });
});

describe("debian_mirror", () => {
  const run = (env: Record<string, string>) =>
    spawnSync("bash", ["-c", 'source "$0"; debian_mirror', script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env },
    });

  it("prefers DEBIAN_MIRROR, then reads sources.list and sources.list.d", () => {
    mkdirSync(join(dir, "sources.list.d"));
    writeFileSync(
      join(dir, "sources.list.d", "debian.list"),
      "deb http://mirror.example/debian bookworm main\n",
    );
    writeFileSync(
      join(dir, "sources.list.d", "ignored.save"),
      "deb http://save.example/debian bookworm main\n",
    );
    expect(run({ APT_SOURCES_DIR: dir }).stdout).toBe("http://mirror.example/debian\n");
    const chosen = run({ APT_SOURCES_DIR: dir, DEBIAN_MIRROR: "http://chosen.example/debian" });
    expect(chosen.stdout).toBe("http://chosen.example/debian\n");
  });

  it("fails, saying to set DEBIAN_MIRROR, when apt knows no Debian mirror", () => {
    const result = run({ APT_SOURCES_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/no Debian mirror found .* set DEBIAN_MIRROR/);
  });
});
