import { describe, expect, it } from "vitest";
import { buildOfShellPath, shellSocketUrl } from "./socket-url";

const settings = {
  PUBLIC_URL: "https://gantry.example.com",
  SHELL_LISTEN: "127.0.0.1:3022",
  SHELL_PUBLIC_URL: "",
};

describe("shell socket addresses", () => {
  it("uses PUBLIC_URL's host on SHELL_LISTEN's port, wss behind https", () => {
    expect(shellSocketUrl("abc123", settings)).toBe("wss://gantry.example.com:3022/builds/abc123/shell");
    expect(shellSocketUrl("abc123", { ...settings, PUBLIC_URL: "http://127.0.0.1:3000" })).toBe(
      "ws://127.0.0.1:3022/builds/abc123/shell",
    );
  });

  it("uses SHELL_PUBLIC_URL with its path when given", () => {
    const proxied = { ...settings, SHELL_PUBLIC_URL: "wss://gantry.example.com/terminal/" };
    expect(shellSocketUrl("abc123", proxied)).toBe("wss://gantry.example.com/terminal/builds/abc123/shell");
  });

  it("reads the build from the path, after any prefix, and nothing else", () => {
    expect(buildOfShellPath("/builds/abc123/shell")).toBe("abc123");
    expect(buildOfShellPath("/terminal/builds/abc123/shell")).toBe("abc123");
    expect(buildOfShellPath("/builds/ABC/shell")).toBeNull();
    expect(buildOfShellPath("/builds/abc123/shell/x")).toBeNull();
    expect(buildOfShellPath("/builds/../shell")).toBeNull();
  });
});
