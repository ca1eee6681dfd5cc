import Link from "next/link";

export interface UpgradeFailureItem {
  id: string;
  branchId: string;
  kind: "REHEARSAL" | "PRODUCTION";
  toSeries: string;
  error: string | null;
  reverted: boolean;
  branch: { name: string };
}

/** Failed upgrades nobody has acknowledged: shown loudly until an Admin does. */
export function UpgradeFailureAlert({
  projectId,
  failures,
}: {
  projectId: string;
  failures: UpgradeFailureItem[];
}) {
  if (failures.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="upgrade-failures"
      className="mb-6 space-y-2 rounded-lg border-2 border-red-500 bg-red-50 p-4"
    >
      {failures.map((f) => (
        <p key={f.id} className="text-sm text-red-900">
          <strong>
            {f.kind === "PRODUCTION" ? "Production upgrade" : "Test upgrade"} of {f.branch.name} to{" "}
            {f.toSeries} failed
          </strong>
          {f.kind === "PRODUCTION"
            ? f.reverted
              ? " — production was restored as it was."
              : " — production could NOT be restored automatically."
            : "."}{" "}
          {f.error ? <span className="text-red-800">{f.error.split("\n")[0]}</span> : null}{" "}
          <Link
            href={`/projects/${projectId}/branches/${f.branchId}/upgrade`}
            className="font-medium underline"
          >
            See the attempt
          </Link>
        </p>
      ))}
    </div>
  );
}
