// Whether Gantry serves a host: its own dashboard's, a build's host (serving or asleep) or a
// verified custom domain.
// Caddy's on-demand TLS asks this before obtaining a certificate, so only such hosts get one.
import { prisma } from "@gantry/db";
import { servingFilter } from "../builds/serving";
import { dashboardHost } from "../routing";

export async function servesHost(input: string): Promise<boolean> {
  const host = input.trim().toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9.-]{1,253}$/.test(host)) return false;
  if (host === dashboardHost()) return true;
  const domain = await prisma().domain.findFirst({
    where: { name: host, verification: "VERIFIED" },
    select: { id: true },
  });
  if (domain) return true;
  const build = await prisma().build.findFirst({
    where: { url: { in: [`http://${host}`, `https://${host}`] }, ...servingFilter },
    select: { id: true },
  });
  return build !== null;
}
