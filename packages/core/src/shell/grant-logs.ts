// Which of a build's log files a shell grant may read: the logs right of the stage, and
// webshell.log (what people typed) for the project's Admins only, as in the dashboard.
import type { Actor } from "../access";
import { type BuildLogFile, buildLogFiles } from "../builds/phases";
import { canReadBuildLog } from "../builds/queries";
import type { ShellGrant } from "./ticket";

export function grantLogFiles(grant: ShellGrant): BuildLogFile[] {
  // The grant's role is the person's role on the project when the session opened.
  const actor: Actor = {
    userId: grant.userId,
    isAdmin: false,
    memberships: { [grant.projectId]: grant.role },
    tokenProjectIds: null,
  };
  const build = { projectId: grant.projectId, stage: grant.stage };
  return buildLogFiles.filter((file) => canReadBuildLog(actor, build, file));
}
