import { BlockList, isIP } from "node:net";
import { config } from "@gantry/config";

/** The address every client shares when no proxy is trusted to name it. */
export const unknownAddress = "local";

let cached: { source: readonly string[]; list: BlockList } | undefined;

function trustedProxies(): BlockList | null {
  const source = config().TRUSTED_PROXIES;
  if (source.length === 0) return null;
  if (cached?.source !== source) {
    const list = new BlockList();
    for (const entry of source) {
      const [address = "", prefix] = entry.split("/");
      const family = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    cached = { source, list };
  }
  return cached.list;
}

/** "::ffff:10.0.0.1", as a dual-stack socket reports an IPv4 peer, is 10.0.0.1. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address, for lock-outs and the audit log. Anyone can write X-Forwarded-For, so
 * it is read only when TRUSTED_PROXIES names the proxies in front of Gantry, and then from the
 * right: each proxy appends the address it was called from, so the last address that is not a
 * trusted proxy is the one the client cannot forge. Without trusted proxies every client is
 * the same unknown address, and the per-account limit carries the lock-out.
 */
export function clientIp(headers: Headers): string {
  const trusted = trustedProxies();
  if (!trusted) return unknownAddress;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => plain(hop.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trusted, hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? unknownAddress;
}
