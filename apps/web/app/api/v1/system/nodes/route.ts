import { authedRoute } from "@/lib/api/authed";
import { listNodesEndpoint } from "@/lib/api/endpoints/nodes";
import { listNodes } from "@/lib/nodes/jobs";

export const dynamic = "force-dynamic";

export const GET = authedRoute(listNodesEndpoint, ({ actor }) => listNodes(actor));
