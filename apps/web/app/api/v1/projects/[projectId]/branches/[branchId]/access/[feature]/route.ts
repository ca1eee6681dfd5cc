import { branchFeatureAccess } from "@gantry/core";
import { authedRoute } from "@/lib/api/authed";
import { branchAccess } from "@/lib/api/endpoints/projects";

export const dynamic = "force-dynamic";

// Answers 200 only when the policy allows the feature on this branch's stage; 403 otherwise.
export const GET = authedRoute(branchAccess, async ({ actor, params }) => {
  const decision = await branchFeatureAccess(actor, params.projectId, params.branchId, params.feature);
  return {
    allowed: decision.allowed,
    feature: decision.feature,
    stage: decision.branch.stage,
    role: decision.role,
    branchId: decision.branch.id,
  };
});
