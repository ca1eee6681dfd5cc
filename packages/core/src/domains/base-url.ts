// Odoo's web.base.url follows the branch's primary domain: written into the database of the
// build serving the branch (and frozen, so that an administrator's sign-in does not put the
// build's own host back), after each change of domains and each time a new build serves.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { withAdmin } from "@gantry/postgres";
import { servingFilter, servingOrder } from "../builds/serving";
import { dbServerById } from "../dbservers";

type Client = Parameters<Parameters<typeof withAdmin>[2]>[0];

async function setParam(client: Client, key: string, value: string): Promise<void> {
  const stamp = "now() at time zone 'UTC'";
  const updated = await client.query(
    `UPDATE ir_config_parameter SET value = $2, write_date = ${stamp} WHERE key = $1`,
    [key, value],
  );
  if (updated.rowCount === 0) {
    await client.query(
      `INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES ($1, $2, ${stamp}, ${stamp})`,
      [key, value],
    );
  }
}

/** Odoo caches parameters per worker; bumping its signaling sequence makes them read again. */
async function signalCaches(client: Client): Promise<void> {
  for (const sequence of ["base_cache_signaling", "base_cache_signaling_default"]) {
    const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [
      `public.${sequence}`,
    ]);
    if (rows[0]?.found) await client.query("SELECT pg_catalog.nextval($1::regclass)", [`public.${sequence}`]);
  }
}

/** The URL of a domain as browsers reach it. */
export function domainUrl(name: string): string {
  return `${config().HTTPS === "acme" ? "https" : "http"}://${name}`;
}

/** Writes the primary verified domain's URL as web.base.url of the branch's serving build. */
export async function applyBaseUrl(branchId: string): Promise<string | null> {
  const primary = await prisma().domain.findFirst({
    where: { branchId, primary: true, verification: "VERIFIED" },
    select: { name: true },
  });
  if (!primary) return null;
  const build = await prisma().build.findFirst({
    where: { branchId, ...servingFilter, dbServerId: { not: null }, databaseName: { not: null } },
    orderBy: servingOrder,
    select: { dbServerId: true, databaseName: true },
  });
  if (!build?.dbServerId || !build.databaseName) return null;
  const url = domainUrl(primary.name);
  const server = await dbServerById(build.dbServerId);
  await withAdmin(server, build.databaseName, async (client) => {
    await client.query("BEGIN");
    await setParam(client, "web.base.url", url);
    await setParam(client, "web.base.url.freeze", "True");
    await signalCaches(client);
    await client.query("COMMIT");
  });
  return url;
}
