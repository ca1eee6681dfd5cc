export function FlakyBadge({ commit }: { commit: string | null }) {
  return (
    <span
      title={
        commit
          ? `Passed and failed on runs of commit ${commit.slice(0, 7)}`
          : "Seen on some runs of a commit only"
      }
      className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800"
    >
      flaky
    </span>
  );
}
