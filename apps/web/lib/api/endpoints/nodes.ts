import { runtimeNode } from "@gantry/queue";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const node = runtimeNode.meta({ id: "RuntimeNode" });

export type RuntimeNodeBody = z.infer<typeof node>;

export const listNodesEndpoint = defineEndpoint({
  method: "get",
  path: "/api/v1/system/nodes",
  summary:
    "The runtime's nodes: pool, role, state, availability, CPUs, memory and Gantry's running work " +
    "on each, as a worker sees them (platform administrators)",
  tags: ["system"],
  access: "signed-in",
  output: z
    .object({
      workerId: z.string().describe("The worker that answered"),
      measuredAt: z.string(),
      nodes: z.array(node),
    })
    .meta({ id: "RuntimeNodes" }),
  errors: ["forbidden", "unavailable"],
});

export const setNodeAvailabilityEndpoint = defineEndpoint({
  method: "post",
  path: "/api/v1/system/nodes/{nodeId}/availability",
  summary:
    "Drain a node (its work moves to the other nodes of its pool) or activate it again (platform " +
    "administrators); refused with 409 on one host",
  tags: ["system"],
  access: "signed-in",
  params: z.object({ nodeId: z.string().min(1).max(200) }),
  body: z.object({ availability: z.enum(["active", "drain"]) }).strict(),
  output: z.object({ node }).meta({ id: "RuntimeNodeChanged" }),
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

export const nodeEndpoints = [listNodesEndpoint, setNodeAvailabilityEndpoint];
