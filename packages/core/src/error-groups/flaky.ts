// The flaky rule: runs of one commit on one branch (a build and its rebuilds) that ended and
// were read to their end; an error group seen on some of them but not all is flaky. Only the
// phase logs count (install, tests, update): the server log of a serving build depends on the
// traffic it got, not on the code, and would make every runtime error look flaky.
export interface CommitRun {
  buildId: string;
  groupIds: ReadonlySet<string>;
}

/** The groups seen on some but not all of `runs` (none with fewer than two runs). */
export function flakyGroups(runs: readonly CommitRun[]): Set<string> {
  const flaky = new Set<string>();
  if (runs.length < 2) return flaky;
  const seen = new Set(runs.flatMap((run) => [...run.groupIds]));
  for (const group of seen) {
    if (runs.some((run) => !run.groupIds.has(group))) flaky.add(group);
  }
  return flaky;
}

/** The log files whose errors say something about the code, not about the traffic. */
export const phaseLogFiles: readonly string[] = ["pip.log", "install.log", "tests.log", "update.log"];
