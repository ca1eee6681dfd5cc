import { AppError, servesHost } from "@gantry/core";
import { tlsAsk } from "@/lib/api/endpoints/domains";
import { route } from "@/lib/api/route";

export const dynamic = "force-dynamic";

// Caddy asks before obtaining a certificate on demand: only hosts Gantry serves get one, so a
// stranger pointing names at this server cannot make it request certificates for them.
export const GET = route(tlsAsk, async ({ query }) => {
  if (!(await servesHost(query.domain))) throw new AppError("not_found", "Gantry does not serve this host");
  return { ok: true as const };
});
