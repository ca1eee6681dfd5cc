import { can } from "@gantry/core";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/PageHeader";
import { DiagnosticsPanel } from "@/components/status/DiagnosticsPanel";
import { StatusBoard } from "@/components/status/StatusBoard";
import { currentPrincipal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Status" };

export const dynamic = "force-dynamic";

export default async function StatusPage() {
  // Anyone may see the health board; running diagnostics is for platform administrators.
  const principal = await currentPrincipal();
  const mayDiagnose = principal !== null && can(principal, "system.diagnose");
  const mayNodes = principal !== null && can(principal, "system.nodes");
  return (
    <>
      <PageHeader
        title="Status"
        description="The services Gantry depends on, checked live."
        actions={
          mayNodes ? (
            <Link href="/nodes" className="text-sm text-indigo-700 hover:underline">
              Nodes
            </Link>
          ) : null
        }
      />
      <div className="grid gap-8 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <StatusBoard />
        {mayDiagnose ? (
          <div className="space-y-4">
            <DiagnosticsPanel />
            <Link href="/servers" className="block text-sm font-medium text-indigo-700 hover:underline">
              Database servers and their pools
            </Link>
          </div>
        ) : null}
      </div>
    </>
  );
}
