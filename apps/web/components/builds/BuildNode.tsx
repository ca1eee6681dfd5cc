import { type BuildPlacement, nodeLostText, placementText } from "@/lib/nodes/placement";

/**
 * Where a build runs. On a cluster the page says that production stays on its node: its
 * filestore lives there, so it is not spread over the pool like development builds. A node the
 * cluster lost is said loudly: production waits for it, other stages start again elsewhere.
 */
/** The colours of a lost node's notice: red when production waits for it, amber otherwise. */
export function lostNodeTone(production: boolean): string {
  return production ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900";
}

export function BuildNode({ build, clustered }: { build: BuildPlacement; clustered: boolean }) {
  const text = placementText(build);
  if (!text) return null;
  const lost = nodeLostText(build);
  return (
    <>
      {lost ? (
        <div
          role="alert"
          data-testid="build-node-lost"
          className={`rounded-md border px-4 py-3 text-sm ${lostNodeTone(build.stage === "PRODUCTION")}`}
        >
          <p className="font-semibold">{lost.title}</p>
          <p>{lost.detail}</p>
        </div>
      ) : null}
      <p data-testid="build-node" className="text-sm text-slate-600">
        <span className="mr-1.5 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          node
        </span>
        {text}
        {clustered && build.stage === "PRODUCTION" ? (
          <span className="text-slate-500"> · production stays on this node: its filestore lives there.</span>
        ) : null}
      </p>
    </>
  );
}
