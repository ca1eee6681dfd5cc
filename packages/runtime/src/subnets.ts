// IPv4 subnets for build networks: a pool (e.g. 10.213.0.0/16) cut into /24s, the first one
// no existing network overlaps. Pure arithmetic, so the allocation is testable without Docker.

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(text)}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32)
    throw new Error(`not an IPv4 CIDR: ${JSON.stringify(text)}`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: address - (address % 2 ** (32 - prefix)), prefix };
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.base)}/${cidr.prefix}`;
}

function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** The first /24 of `pool` that overlaps none of `used` (any notation Docker reports); null when full. */
export function freeSubnet(pool: string, used: string[]): Cidr | null {
  const range = parseCidr(pool);
  if (range.prefix > 24) throw new Error(`the build network pool ${pool} is smaller than one /24`);
  const taken = used.flatMap((text) => {
    try {
      return [parseCidr(text)];
    } catch {
      return []; // IPv6 or malformed: cannot overlap an IPv4 pool
    }
  });
  for (let base = range.base; base < range.base + size(range); base += 256) {
    const candidate = { base, prefix: 24 };
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return null;
}

/** The gateway of a subnet: its first address, which the engine gives the host's bridge. */
export function gatewayOf(subnet: Cidr): string {
  return formatAddress(subnet.base + 1);
}
