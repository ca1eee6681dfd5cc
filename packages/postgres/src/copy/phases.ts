// Where a copy's time goes: each phase's first start and last end since the copy began, and
// its busy time (the sum of its tasks' durations; phases run side by side, so busy time can
// exceed the span).

export interface CopyPhase {
  name: string;
  startMs: number;
  endMs: number;
  busyMs: number;
  tasks: number;
}

export class PhaseClock {
  private readonly begun = performance.now();
  private readonly byName = new Map<string, CopyPhase>();

  elapsed(): number {
    return Math.round(performance.now() - this.begun);
  }

  /** Starts one task of a phase; the returned function ends it. */
  start(name: string): () => void {
    const started = this.elapsed();
    return () => {
      const ended = this.elapsed();
      const phase = this.byName.get(name) ?? { name, startMs: started, endMs: ended, busyMs: 0, tasks: 0 };
      phase.startMs = Math.min(phase.startMs, started);
      phase.endMs = Math.max(phase.endMs, ended);
      phase.busyMs += ended - started;
      phase.tasks += 1;
      this.byName.set(name, phase);
    };
  }

  phases(): CopyPhase[] {
    return [...this.byName.values()].sort((a, b) => a.startMs - b.startMs);
  }
}

export const describePhases = (phases: readonly CopyPhase[]) =>
  phases
    .map(
      (p) =>
        `${p.name} ${(p.startMs / 1000).toFixed(1)}-${(p.endMs / 1000).toFixed(1)} s` +
        (p.tasks > 1 ? ` (${p.tasks} tasks, ${(p.busyMs / 1000).toFixed(1)} s busy)` : ""),
    )
    .join(", ");
