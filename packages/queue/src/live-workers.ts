// Which workers are alive, for the start-up passes that take over what dead workers left. A
// heartbeat outlives its worker by up to its time to live (three beats): a worker killed and
// started again at once would otherwise leave the dead one's builds, backups and upgrades to
// BullMQ's stalled-job check, a minute later. A heartbeat written on this host by a process
// that no longer exists is known dead now; one from another host counts until it expires.
import { hostname } from "node:os";
import type { QueueContext } from "./context";
import { readHeartbeats, type WorkerHeartbeat } from "./heartbeat";

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function isAlive(beat: WorkerHeartbeat, host = hostname()): boolean {
  return beat.hostname !== host || processExists(beat.pid);
}

/** The ids of the workers alive, except `self` (which has just started: nothing of it runs yet). */
export async function liveWorkerIds(context: QueueContext, self: string): Promise<Set<string>> {
  const live = new Set((await readHeartbeats(context)).filter((b) => isAlive(b)).map((b) => b.workerId));
  live.delete(self);
  return live;
}
