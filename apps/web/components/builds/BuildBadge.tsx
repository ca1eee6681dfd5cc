import { toneOf } from "./tone";

export function BuildBadge({
  build,
}: {
  build: { status: string; result: string | null; sleepingSince?: string | null };
}) {
  const tone = toneOf(build);
  return (
    <span className="inline-flex items-center gap-1.5">
      <span
        data-testid="build-state"
        className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${tone.badge}`}
      >
        <span
          className={`h-2 w-2 rounded-full ${tone.bar} ${build.status === "RUNNING" ? "animate-pulse" : ""}`}
        />
        {tone.label}
      </span>
      {build.sleepingSince ? (
        <span
          data-testid="build-sleeping"
          title="Stopped after a while without visits; Connect starts it again (a few seconds)."
          className="inline-flex items-center gap-1.5 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700"
        >
          <span aria-hidden>☾</span>
          sleeping
        </span>
      ) : null}
    </span>
  );
}
