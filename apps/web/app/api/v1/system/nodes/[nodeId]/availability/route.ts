import { authedRoute } from "@/lib/api/authed";
import { setNodeAvailabilityEndpoint } from "@/lib/api/endpoints/nodes";
import { setNodeAvailability } from "@/lib/nodes/jobs";

export const POST = authedRoute(setNodeAvailabilityEndpoint, ({ actor, params, body }) =>
  setNodeAvailability(actor, params.nodeId, body.availability),
);
