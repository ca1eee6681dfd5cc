// The pool of nodes a stage's work runs on, on a runtime that has pools (a cluster): named after
// the stage. One host has one pool and ignores it.
import type { Stage } from "@gantry/db";

export function poolOf(stage: Stage): string {
  return stage.toLowerCase();
}
