import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { withLargeOutputBuffer } from "./output-buffer";

const run = promisify(execFile);

describe("withLargeOutputBuffer", () => {
  it("runs the command unchanged apart from its buffering (arguments, output, exit code)", async () => {
    const [command, args] = await withLargeOutputBuffer("sh", [
      "-c",
      'printf "%s|" "$@"; exit 0',
      "sh",
      "a b",
      "$HOME",
      "--x",
    ]);
    expect((await run(command, args)).stdout).toBe("a b|$HOME|--x|");
    const [failing, failingArgs] = await withLargeOutputBuffer("sh", ["-c", "exit 3"]);
    await expect(run(failing, failingArgs)).rejects.toMatchObject({ code: 3 });
  });
});
