import Link from "next/link";

/** "New error since the previous build": the groups a build has that its branch's previous build did not. */
export function NewErrorsNotice({
  projectId,
  groups,
  what,
}: {
  projectId: string;
  groups: { id: string; title: string }[];
  /** Which build the notice speaks of ("this build", "the latest build"). */
  what: string;
}) {
  if (groups.length === 0) return null;
  return (
    <section
      aria-label="New errors"
      className="mb-6 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="font-semibold">
        {groups.length === 1 ? "New error" : `${groups.length} new errors`} since the previous build ({what})
      </p>
      <ul className="mt-1 list-disc pl-5">
        {groups.map((g) => (
          <li key={g.id}>
            {/* The title is log text of the tenant's: rendered as text, never as markup. */}
            <Link
              href={`/projects/${projectId}/errors/${g.id}`}
              className="font-mono text-xs hover:underline"
            >
              {g.title}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
