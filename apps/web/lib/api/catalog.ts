import type { Endpoint } from "./endpoint";
import { backupEndpoints } from "./endpoints/backups";
import { buildEndpoints } from "./endpoints/builds";
import { connectEndpoints } from "./endpoints/connect";
import { dbServerEndpoints } from "./endpoints/db-servers";
import { domainEndpoints } from "./endpoints/domains";
import { editorEndpoints } from "./endpoints/editor";
import { errorGroupEndpoints } from "./endpoints/error-groups";
import { githubEndpoints } from "./endpoints/github";
import { invitationEndpoints } from "./endpoints/invitations";
import { mailEndpoints } from "./endpoints/mails";
import { openapiDocument } from "./endpoints/meta";
import { metricEndpoints } from "./endpoints/metrics";
import { nodeEndpoints } from "./endpoints/nodes";
import { notificationEndpoints } from "./endpoints/notifications";
import { previewEndpoints } from "./endpoints/previews";
import { projectEndpoints } from "./endpoints/projects";
import { shellEndpoints } from "./endpoints/shell";
import { sshKeyEndpoints } from "./endpoints/ssh-keys";
import { statusEndpoints } from "./endpoints/status";
import { diagnosticsJob, enqueueDiagnostics, plainHealth, systemHealth } from "./endpoints/system";
import { tokenEndpoints } from "./endpoints/tokens";
import { upgradeEndpoints } from "./endpoints/upgrades";

/**
 * Every endpoint of the API. The OpenAPI document is generated from this list, and a test
 * checks that each route file under app/api appears in it.
 */
export const endpoints: readonly Endpoint[] = [
  plainHealth,
  systemHealth,
  enqueueDiagnostics,
  diagnosticsJob,
  ...nodeEndpoints,
  ...dbServerEndpoints,
  openapiDocument,
  ...projectEndpoints,
  ...githubEndpoints,
  ...previewEndpoints,
  ...domainEndpoints,
  ...buildEndpoints,
  ...mailEndpoints,
  ...shellEndpoints,
  ...editorEndpoints,
  ...metricEndpoints,
  ...errorGroupEndpoints,
  ...statusEndpoints,
  ...connectEndpoints,
  ...backupEndpoints,
  ...tokenEndpoints,
  ...sshKeyEndpoints,
  ...invitationEndpoints,
  ...upgradeEndpoints,
  ...notificationEndpoints,
];
