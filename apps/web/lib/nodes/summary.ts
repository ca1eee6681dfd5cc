/** What the Nodes table shows of a node's work: its builds, and what they use together. */
export interface WorkUse {
  build: string | null;
  cpuPercent: number | null;
  memoryBytes: number | null;
}

export interface NodeUse {
  /** Distinct builds with work on the node (a build's serve and its one-shot runs count once). */
  builds: number;
  /** Summed over the work whose use was read; null when none was. */
  cpuPercent: number | null;
  memoryBytes: number | null;
}

export function nodeUse(work: readonly WorkUse[]): NodeUse {
  const builds = new Set(work.map((w) => w.build).filter((b): b is string => b !== null));
  const sum = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
  };
  return {
    builds: builds.size,
    cpuPercent: sum(work.map((w) => w.cpuPercent)),
    memoryBytes: sum(work.map((w) => w.memoryBytes)),
  };
}
