import { can } from "@gantry/core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NodesPanel } from "@/components/nodes/NodesPanel";
import { PageHeader } from "@/components/PageHeader";
import { requirePrincipal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Nodes" };

export const dynamic = "force-dynamic";

/** The machines builds run on: platform administrators only. */
export default async function NodesPage() {
  const principal = await requirePrincipal("/nodes");
  if (!can(principal, "system.nodes")) notFound();
  return (
    <>
      <PageHeader
        title="Nodes"
        description="The machines builds run on: their pools, what runs there, drain and activate."
      />
      <NodesPanel />
    </>
  );
}
