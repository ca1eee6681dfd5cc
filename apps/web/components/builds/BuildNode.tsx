import { type BuildPlacement, placementText } from "@/lib/nodes/placement";

/**
 * Where a build runs. On a cluster the page says that production stays on its node: its
 * filestore lives there, so it is not spread over the pool like development builds.
 */
export function BuildNode({ build, clustered }: { build: BuildPlacement; clustered: boolean }) {
  const text = placementText(build);
  if (!text) return null;
  return (
    <p data-testid="build-node" className="text-sm text-slate-600">
      <span className="mr-1.5 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">node</span>
      {text}
      {clustered && build.stage === "PRODUCTION" ? (
        <span className="text-slate-500"> · production stays on this node: its filestore lives there.</span>
      ) : null}
    </p>
  );
}
