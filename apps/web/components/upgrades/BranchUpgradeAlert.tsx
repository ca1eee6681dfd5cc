import { type Actor, unacknowledgedUpgradeFailures } from "@gantry/core";
import { toJson } from "@/lib/api/authed";
import { UpgradeFailureAlert } from "./UpgradeFailureAlert";

/** On a branch's pages: its failed upgrades no Admin has acknowledged yet, loudly. */
export async function BranchUpgradeAlert(props: { actor: Actor; projectId: string; branchId: string }) {
  const failures = (await unacknowledgedUpgradeFailures(props.actor, props.projectId)).filter(
    (f) => f.branchId === props.branchId,
  );
  return <UpgradeFailureAlert projectId={props.projectId} failures={toJson(failures)} />;
}
