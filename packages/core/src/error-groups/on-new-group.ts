// The hook for notifications: called once when an error group first appears on a production
// build (a new group, or a known one that reaches production for the first time). For now it
// writes an audit row and a log line; the notification dispatcher plugs in here.
import { createLogger } from "@gantry/config";
import { recordAudit } from "../audit";

export interface NewErrorGroup {
  id: string;
  projectId: string;
  title: string;
  fingerprint: string;
}

export interface ErrorGroupBuild {
  id: string;
  branchId: string;
  stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT";
}

export async function onNewErrorGroup(group: NewErrorGroup, build: ErrorGroupBuild): Promise<void> {
  createLogger("errors").warn(
    { projectId: group.projectId, groupId: group.id, buildId: build.id },
    "a new error group appeared on production",
  );
  await recordAudit({
    action: "error_group.new_on_production",
    projectId: group.projectId,
    target: group.id,
    // The title is the tenant's log text: kept short, shown as text only.
    data: { buildId: build.id, branchId: build.branchId, title: group.title.slice(0, 300) },
  });
}
