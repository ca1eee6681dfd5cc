// The live child processes of this test process, read from /proc (Linux): lets a test wait
// until the programs it started through the code under test are really gone.
import { readdir, readFile } from "node:fs/promises";

/** Pids of this process's children whose command name is `name`. */
export async function childrenNamed(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (stat === null) continue; // exited meanwhile
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(" ");
    if (comm === name && Number(ppid) === process.pid && state !== "Z") pids.push(Number(entry));
  }
  return pids;
}
