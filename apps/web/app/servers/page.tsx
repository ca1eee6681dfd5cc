import { can, listDbServerViews } from "@gantry/core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/PageHeader";
import { DbServerPools } from "@/components/servers/DbServerPools";
import { requirePrincipal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Database servers" };
export const dynamic = "force-dynamic";

export default async function ServersPage() {
  const actor = await requirePrincipal("/servers");
  // Platform administrators only; for anyone else the page does not exist.
  if (!can(actor, "servers.manage")) notFound();
  return (
    <>
      <PageHeader
        title="Database servers"
        description="The PostgreSQL servers builds run on, and the pool of nodes where each one's stages build."
      />
      <DbServerPools initial={await listDbServerViews(actor)} />
    </>
  );
}
