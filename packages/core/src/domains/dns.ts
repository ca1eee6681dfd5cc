// Looking a custom domain up in DNS, with the servers DNS_RESOLVER names (the system's when
// empty), and deciding whether it points at Gantry: a CNAME to one of the accepted hosts under
// BASE_DOMAIN, or A/AAAA records that are all Gantry's public addresses.
import { Resolver } from "node:dns/promises";
import { config } from "@gantry/config";

export interface DnsAnswer {
  cname: string[];
  a: string[];
  aaaa: string[];
  /** A lookup that failed for another reason than "no such record" (timeout, SERVFAIL). */
  error: string | null;
}

const noRecord = new Set(["ENODATA", "ENOTFOUND", "NXDOMAIN"]);

function resolver(): Resolver {
  const r = new Resolver({ timeout: 3000, tries: 2 });
  const servers = config().DNS_RESOLVER;
  if (servers.length > 0) r.setServers(servers);
  return r;
}

export async function lookupDomain(name: string): Promise<DnsAnswer> {
  const r = resolver();
  const errors: string[] = [];
  const ask = async (query: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await query();
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      if (!noRecord.has(code)) errors.push(code);
      return [];
    }
  };
  const [cname, a, aaaa] = await Promise.all([
    ask(() => r.resolveCname(name)),
    ask(() => r.resolve4(name)),
    ask(() => r.resolve6(name)),
  ]);
  const lower = (names: string[]) => names.map((n) => n.toLowerCase().replace(/\.$/, ""));
  return { cname: lower(cname), a, aaaa, error: errors.length > 0 ? [...new Set(errors)].join(", ") : null };
}

/** The answer as shown next to the domain: "CNAME x.example.com, A 192.0.2.1", or "no record". */
export function describeAnswer(answer: DnsAnswer): string {
  const parts = [
    ...answer.cname.map((v) => `CNAME ${v}`),
    ...answer.a.map((v) => `A ${v}`),
    ...answer.aaaa.map((v) => `AAAA ${v}`),
  ];
  if (parts.length === 0) return answer.error ? `lookup failed (${answer.error})` : "no record";
  return parts.join(", ");
}

export type Verdict = { verified: true } | { verified: false; reason: string };

/** Gantry's public addresses, as configured ("" for none). */
export interface PublicAddresses {
  v4: string;
  v6: string;
}

export function publicAddresses(): PublicAddresses {
  return { v4: config().PUBLIC_IPV4, v6: config().PUBLIC_IPV6 };
}

/** Whether the answer points at Gantry; `targets` are the hosts a CNAME may name. */
export function judgeAnswer(
  name: string,
  answer: DnsAnswer,
  targets: string[],
  { v4, v6 }: PublicAddresses = publicAddresses(),
): Verdict {
  if (answer.cname.some((c) => targets.includes(c))) return { verified: true };
  if (answer.cname.length > 0) {
    return {
      verified: false,
      reason: `${name} is a CNAME to ${answer.cname.join(", ")}, not to ${targets[0]}`,
    };
  }
  const addresses = [...answer.a, ...answer.aaaa];
  if (addresses.length === 0) {
    if (answer.error)
      return {
        verified: false,
        reason: `the DNS lookup of ${name} failed (${answer.error}); try again later`,
      };
    return {
      verified: false,
      reason: `${name} has no CNAME, A or AAAA record yet (DNS changes can take a while to spread)`,
    };
  }
  const ours = (address: string) => (v4 !== "" && address === v4) || (v6 !== "" && sameV6(address, v6));
  const foreign = addresses.filter((address) => !ours(address));
  if (foreign.length === 0) return { verified: true };
  const expected = [v4, v6].filter(Boolean).join(" or ");
  return {
    verified: false,
    reason: expected
      ? `${name} points at ${foreign.join(", ")}, which is not Gantry's address (${expected})`
      : `${name} points at ${foreign.join(", ")}; this Gantry has no public address configured (PUBLIC_IPV4/PUBLIC_IPV6): use a CNAME to ${targets[0]}`,
  };
}

function sameV6(a: string, b: string): boolean {
  // Compare the parsed form: ::1 and 0:0:0:0:0:0:0:1 are the same address.
  const full = (v: string) => new URL(`http://[${v}]`).hostname;
  try {
    return full(a) === full(b);
  } catch {
    return false;
  }
}
