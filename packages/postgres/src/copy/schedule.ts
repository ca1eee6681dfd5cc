// Runs a copy's tasks on a fixed number of lanes, each task once what it waits for is done and
// no running task holds a lock it conflicts with (an index build and a primary key on the same
// table would only wait for each other inside PostgreSQL, holding a lane idle).

export interface Schedulable {
  id: string;
  /** Ids of the tasks that must have finished first. */
  after: readonly string[];
  /** Tables locked against every other task on them (ALTER TABLE ... ADD CONSTRAINT). */
  exclusive: readonly number[];
  /** Tables shared with other shared holders (CREATE INDEX). */
  shared: readonly number[];
}

const conflict = (a: Schedulable, b: Schedulable) =>
  a.exclusive.some((t) => b.exclusive.includes(t) || b.shared.includes(t)) ||
  a.shared.some((t) => b.exclusive.includes(t));

/**
 * Starts ready tasks in the order given, at most `width` at once. On the first failure nothing
 * more starts, `onFailure` is called (to stop the running ones), and once they have all ended
 * the failure is thrown: nothing of the copy still runs when the caller cleans up.
 */
export function runScheduled<T extends Schedulable>(
  width: number,
  tasks: readonly T[],
  run: (task: T) => Promise<void>,
  onFailure: () => void = () => {},
): Promise<void> {
  const pending = [...tasks];
  const running = new Set<T>();
  const done = new Set<string>();
  let failure: { error: unknown } | undefined;
  return new Promise((resolve, reject) => {
    const pump = () => {
      while (!failure && running.size < width) {
        const next = pending.findIndex(
          (task) =>
            task.after.every((id) => done.has(id)) && ![...running].some((other) => conflict(task, other)),
        );
        if (next < 0) break;
        const [task] = pending.splice(next, 1) as [T];
        running.add(task);
        Promise.resolve()
          .then(() => run(task))
          .then(
            () => {
              running.delete(task);
              done.add(task.id);
              pump();
            },
            (error: unknown) => {
              running.delete(task);
              if (!failure) {
                failure = { error };
                onFailure();
              }
              pump();
            },
          );
      }
      if (running.size > 0) return;
      if (failure) reject(failure.error);
      else if (pending.length > 0)
        reject(new Error(`copy plan cannot go on: ${pending.map((t) => t.id).join(", ")}`));
      else resolve();
    };
    pump();
  });
}
