import type { LostNodeBuild } from "@gantry/core";
import Link from "next/link";
import { nodeLostText } from "@/lib/nodes/placement";
import { lostNodeTone } from "./BuildNode";

/** The project's builds whose node the cluster lost, production first; nothing when none. */
export function LostNodesAlert({ projectId, builds }: { projectId: string; builds: LostNodeBuild[] }) {
  if (builds.length === 0) return null;
  const production = builds.some((b) => b.stage === "PRODUCTION");
  return (
    <div
      role="alert"
      data-testid="lost-nodes"
      className={`mb-6 rounded-md border px-4 py-3 text-sm ${lostNodeTone(production)}`}
    >
      <p className="font-semibold">
        {production ? "Production's node is lost" : "A node of the cluster is lost"}
      </p>
      <ul className="mt-1 space-y-1">
        {builds.map((build) => {
          const text = nodeLostText(build);
          return text ? (
            <li key={build.id}>
              <Link
                href={`/projects/${projectId}/branches/${build.branchId}`}
                className="font-medium underline underline-offset-2"
              >
                {build.branch}
              </Link>{" "}
              ({build.stage.toLowerCase()}): {text.title}. {text.detail}
            </li>
          ) : null;
        })}
      </ul>
    </div>
  );
}
