import { describe, expect, it } from "vitest";
import { runScheduled, type Schedulable } from "./schedule";

const task = (id: string, after: string[] = [], locks: { exclusive?: number[]; shared?: number[] } = {}) => ({
  id,
  after,
  exclusive: locks.exclusive ?? [],
  shared: locks.shared ?? [],
});

/** Runs the tasks, each until the test lets it finish, and records what ran alongside what. */
function harness(width: number, tasks: Schedulable[], failing: string[] = []) {
  const log: string[] = [];
  const running = new Set<string>();
  const overlaps: string[][] = [];
  const waiting = new Map<string, () => void>();
  const done = runScheduled(width, tasks, async (t) => {
    running.add(t.id);
    overlaps.push([...running].sort());
    log.push(`start ${t.id}`);
    await new Promise<void>((resolve) => waiting.set(t.id, resolve));
    running.delete(t.id);
    log.push(`end ${t.id}`);
    if (failing.includes(t.id)) throw new Error(`${t.id} failed`);
  });
  const finish = async (id: string) => {
    for (let i = 0; i < 50 && !waiting.has(id); i++) await new Promise((r) => setTimeout(r, 1));
    const resolve = waiting.get(id);
    if (!resolve) throw new Error(`${id} never started; log: ${log.join(", ")}`);
    waiting.delete(id);
    resolve();
    await new Promise((r) => setTimeout(r, 1));
  };
  return { log, overlaps, done, finish, started: () => [...waiting.keys()] };
}

describe("running a copy's tasks", () => {
  it("starts tasks in order, at most `width` at once, each after what it waits for", async () => {
    const h = harness(2, [task("a"), task("b"), task("c", ["a"]), task("d")]);
    await h.finish("b");
    // c waits for a: d takes the free lane.
    expect(h.started().sort()).toEqual(["a", "d"]);
    await h.finish("a");
    expect(h.started().sort()).toEqual(["c", "d"]);
    await h.finish("c");
    await h.finish("d");
    await h.done;
    expect(Math.max(...h.overlaps.map((o) => o.length))).toBe(2);
  });

  it("never runs an exclusive holder of a table beside another task on that table", async () => {
    const h = harness(3, [
      task("pkey", [], { exclusive: [1] }),
      task("index", [], { shared: [1] }),
      task("other-index", [], { shared: [1] }),
      task("elsewhere", [], { exclusive: [2] }),
    ]);
    await new Promise((r) => setTimeout(r, 5));
    expect(h.started().sort()).toEqual(["elsewhere", "pkey"]);
    await h.finish("pkey");
    // Shared holders of one table run together.
    expect(h.started().sort()).toEqual(["elsewhere", "index", "other-index"]);
    for (const id of ["elsewhere", "index", "other-index"]) await h.finish(id);
    await h.done;
  });

  it("on a failure starts nothing more, lets the running tasks end, then throws it", async () => {
    const h = harness(2, [task("a"), task("b"), task("c")], ["a"]);
    let settled = false;
    const outcome = h.done.then(
      () => "resolved",
      (error: Error) => error.message,
    );
    void outcome.then(() => {
      settled = true;
    });
    await h.finish("a");
    expect(h.started()).toEqual(["b"]);
    expect(settled).toBe(false);
    await h.finish("b");
    expect(await outcome).toBe("a failed");
    expect(h.log).not.toContain("start c");
  });

  it("refuses a plan that cannot finish", async () => {
    await expect(runScheduled(2, [task("a", ["missing"])], async () => {})).rejects.toThrow(
      /cannot go on: a/,
    );
  });
});
