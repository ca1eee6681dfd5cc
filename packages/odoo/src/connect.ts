// One-click Connect: Gantry's server-wide addon (addons/gantry_connect), mounted read-only into
// every serving build and loaded with --load (never installed in a database), logs a browser
// in from a short-lived, single-use token signed with the build's own key. The key reaches the
// container in its config file only; this module signs what the addon checks.
import { createHmac, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommandError } from "./commands";
import { parseSeries } from "./series";

/** The folder holding gantry_connect, to mount as an addons folder of the serving container. */
// (Joined by hand: bundlers take `new URL("…", import.meta.url)` for an asset to bundle.)
export const GANTRY_ADDONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "addons");
export const GANTRY_CONNECT_MODULE = "gantry_connect";
export const CONNECT_PATH = "/gantry/connect";

/**
 * What `--load` must list on this series: Odoo's own server-wide modules and Gantry's addon.
 * After 18.0 Odoo moved XML-RPC and JSON-RPC into an `rpc` module it loads by default; 18.0
 * itself has no such module (checked on real Odoo 18.0: `--load=base,rpc,web` fails with
 * "No module named 'odoo.addons.rpc'"), its default is `base,web` like every series before.
 */
export function serverWideModules(series: string): string[] {
  const { major, minor } = parseSeries(series);
  const rpc = major > 18 || (major === 18 && minor >= 1);
  return [...(rpc ? ["base", "rpc", "web"] : ["base", "web"]), GANTRY_CONNECT_MODULE];
}

/** What a token asks: a login ("admin" is the database's base.user_admin) or the list of users. */
export type ConnectAct = { act: "login"; user: "admin" | number } | { act: "users" };
/** exp: unix seconds; nonce: spent by the addon on first use. */
export type ConnectClaims = { db: string; exp: number; nonce: string } & ConnectAct;

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** A token for the addon: base64url(JSON claims) "." base64url(HMAC-SHA256 under the build's key). */
export function signConnectToken(key: string, claims: { db: string } & ConnectAct, ttlSeconds = 120): string {
  if (key.length < 32) throw new CommandError("the connect key must be at least 32 characters");
  const full: ConnectClaims = {
    ...claims,
    exp: Math.floor(Date.now() / 1000) + ttlSeconds,
    nonce: randomBytes(18).toString("base64url"),
  };
  const payload = b64(JSON.stringify(full));
  return `${payload}.${b64(createHmac("sha256", key).update(payload).digest())}`;
}
