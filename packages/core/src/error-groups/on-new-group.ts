// Called once when an error group first appears on a production build (a new group, or a known
// one that reaches production for the first time): an audit row, a log line, and the
// project's notification channels told.
import { bestEffort, createLogger } from "@gantry/config";
import { recordAudit } from "../audit";
import { notifyProject } from "../notify";

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
  // A channel that cannot be told now does not undo what was recorded.
  await bestEffort(
    "notifying the project",
    () =>
      notifyProject(group.projectId, {
        type: "error.new_group",
        buildId: build.id,
        groupId: group.id,
        title: group.title.slice(0, 500),
      }),
    { logger: createLogger("errors") },
  );
}
