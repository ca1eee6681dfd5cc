import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bashCompletion, zshCompletion } from "./completion";
import { buildProgram } from "./program";

/** What bash offers for the words typed so far (the last one being completed). */
function complete(words: string[]): string[] {
  const script = `${bashCompletion(buildProgram())}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
_gantry; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync("bash", ["--norc", "-c", script], { encoding: "utf8" }).split("\n").filter(Boolean);
}

describe("completion", () => {
  it("completes commands, subcommands, options and argument choices from the command tree", () => {
    expect(complete(["gantry", "b"])).toEqual(["branches", "builds", "build", "backups"]);
    expect(complete(["gantry", "backups", ""])).toEqual(
      expect.arrayContaining(["list", "create", "download", "restore", "--json"]),
    );
    expect(complete(["gantry", "logs", "abc123", "in"])).toEqual(["install.log"]);
    expect(complete(["gantry", "builds", "--branch", "main", "proj", "--l"])).toEqual(["--limit"]);
    expect(complete(["gantry", "completion", "z"])).toEqual(["zsh"]);
  });

  it("gives zsh the same function through bashcompinit", () => {
    const zsh = zshCompletion(buildProgram());
    expect(zsh.startsWith("#compdef gantry\n")).toBe(true);
    expect(zsh).toContain("bashcompinit");
    expect(zsh).toContain("complete -F _gantry gantry");
  });
});
