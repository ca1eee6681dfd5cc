import type { Metadata } from "next";
import { PageHeader } from "@/components/PageHeader";
import { DiagnosticsPanel } from "@/components/status/DiagnosticsPanel";
import { StatusBoard } from "@/components/status/StatusBoard";

export const metadata: Metadata = { title: "Status" };

export default function StatusPage() {
  return (
    <>
      <PageHeader title="Status" description="The services Gantry depends on, checked live." />
      <div className="grid gap-8 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <StatusBoard />
        <div>
          <DiagnosticsPanel />
        </div>
      </div>
    </>
  );
}
