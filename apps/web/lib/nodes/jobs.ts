// The Nodes page's questions to a worker (the web app has no Docker access): the nodes, and a
// drain or activation. Each waits for the answer; a worker that does not answer is a 503.
import { type Actor, AppError, assertCan } from "@gantry/core";
import { type Answer, askWorker, type JobName, type NodesResult, type RuntimeNodeView } from "@gantry/queue";
import { bounded } from "../queue-bounded";

/** A node listing samples CPU for half a second; a worker busy elsewhere gets a while longer. */
const answerWaitMs = 15_000;

function answered<N extends JobName>(answer: Answer<N>, what: string) {
  if (answer.state === "completed") return answer.result;
  if (answer.state === "failed")
    throw new AppError("unavailable", `The worker could not ${what}: ${answer.reason}`);
  throw new AppError(
    "unavailable",
    answer.started
      ? `A worker took the request but did not answer within ${answerWaitMs / 1000} s: reload to see where it stands`
      : `No worker answered within ${answerWaitMs / 1000} s: check that a worker runs (Status page); nothing was changed`,
  );
}

export async function listNodes(actor: Actor): Promise<NodesResult> {
  assertCan(actor, "system.nodes");
  const answer = await bounded(
    askWorker("maintenance.nodes", { requestedBy: actor.userId }, answerWaitMs),
    answerWaitMs + 5000,
  );
  return answered(answer, "list the nodes");
}

export async function setNodeAvailability(
  actor: Actor,
  nodeId: string,
  availability: "active" | "drain",
): Promise<{ node: RuntimeNodeView }> {
  assertCan(actor, "system.nodes");
  const answer = await bounded(
    askWorker(
      "maintenance.node-availability",
      { nodeId, availability, requestedBy: actor.userId },
      answerWaitMs,
    ),
    answerWaitMs + 5000,
  );
  const result = answered(answer, `${availability === "drain" ? "drain" : "activate"} the node`);
  if (!result.ok) throw new AppError(result.status, result.error);
  return { node: result.node };
}
