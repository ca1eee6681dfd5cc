import { toneOf } from "./tone";

export function BuildBadge({ build }: { build: { status: string; result: string | null } }) {
  const tone = toneOf(build);
  return (
    <span
      data-testid="build-state"
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${tone.badge}`}
    >
      <span
        className={`h-2 w-2 rounded-full ${tone.bar} ${build.status === "RUNNING" ? "animate-pulse" : ""}`}
      />
      {tone.label}
    </span>
  );
}
