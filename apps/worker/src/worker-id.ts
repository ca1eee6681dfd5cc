import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** Unique per process and readable in logs: host, pid and a few random characters. */
export function newWorkerId(): string {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9_.-]/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "") || "host";
  return `${host.slice(0, 60)}-${process.pid}-${randomBytes(3).toString("hex")}`;
}
