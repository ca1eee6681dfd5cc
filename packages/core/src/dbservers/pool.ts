// The pool of nodes a stage's builds run on (a node label on a cluster; one host has one pool
// and ignores it). It comes with the stage's database server, so a project's stage maps to a
// pool the way it maps to a server: a server without its own pool serves each of its stages'
// pools, named after the stage (production, staging, development), as before pools had names.
import { z } from "zod";
import type { Stage } from "../access";

/** A pool's name: it becomes a placement constraint's value, so nothing that could extend it. */
export const poolName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, - and _, starting with a letter or digit");

/** The pool a stage served by this server runs its builds on. */
export function poolOf(server: { pool: string | null }, stage: Stage): string {
  return server.pool ?? stage.toLowerCase();
}
