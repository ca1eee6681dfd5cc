import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GANTRY_ADDONS_DIR, serverWideModules, signConnectToken } from "./connect";

const KEY = "k".repeat(43);

/** The addon's own check (controllers/token.py), run by the host's Python: the claims or the refusal. */
function verifyInPython(token: string, key: string, act: string): string {
  const script = [
    "import json, sys",
    "sys.dont_write_bytecode = True",
    `sys.path.insert(0, ${JSON.stringify(join(GANTRY_ADDONS_DIR, "gantry_connect", "controllers"))})`,
    "import token as t",
    "try:",
    "    print(json.dumps(t.verify(sys.argv[1], sys.argv[2], sys.argv[3])))",
    "except t.TokenError as e:",
    "    print('refused: ' + str(e))",
  ].join("\n");
  return execFileSync("python3", ["-c", script, token, key, act], { encoding: "utf8" }).trim();
}

describe("Connect", () => {
  it("loads Odoo's own server-wide modules of the series, and Gantry's addon", () => {
    expect(serverWideModules("16.0")).toEqual(["base", "web", "gantry_connect"]);
    expect(serverWideModules("17.0")).toEqual(["base", "web", "gantry_connect"]);
    // 18.0 has no `rpc` module (real Odoo 18.0 refuses to load it); the series after it do.
    expect(serverWideModules("18.0")).toEqual(["base", "web", "gantry_connect"]);
    expect(serverWideModules("saas-18.3")).toEqual(["base", "rpc", "web", "gantry_connect"]);
    expect(serverWideModules("19.0")).toEqual(["base", "rpc", "web", "gantry_connect"]);
  });

  it("signs tokens the addon accepts, for their act only, and refuses altered or expired ones", () => {
    const token = signConnectToken(KEY, { db: "gantry_b_x", act: "login", user: "admin" });
    const claims = JSON.parse(verifyInPython(token, KEY, "login")) as Record<string, unknown>;
    expect(claims).toMatchObject({ db: "gantry_b_x", act: "login", user: "admin" });
    expect(claims.nonce).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(verifyInPython(token, KEY, "users")).toBe("refused: token for another use");
    expect(verifyInPython(token, "j".repeat(43), "login")).toBe("refused: bad signature");
    const [payload, signature] = token.split(".") as [string, string];
    const altered = Buffer.from(
      Buffer.from(payload, "base64url").toString().replace('"admin"', '"root"'),
    ).toString("base64url");
    expect(verifyInPython(`${altered}.${signature}`, KEY, "login")).toBe("refused: bad signature");
    const expired = signConnectToken(KEY, { db: "gantry_b_x", act: "users" }, -1);
    expect(verifyInPython(expired, KEY, "users")).toBe("refused: expired token");
  });

  it("refuses a short key", () => {
    expect(() => signConnectToken("short", { db: "d", act: "users" })).toThrow(/32 characters/);
  });
});
