import { stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";
import { deployGate } from "./builds";

// The GitHub connection, deliveries, and branch moves, merges and settings.
const when = z.string().describe("ISO timestamp");
const projectId = z.object({ projectId: z.string().min(1).max(100) });
const branchParams = projectId.extend({ branchId: z.string().min(1).max(100) });
const stage = z.enum(stages);

export const githubConnection = z
  .object({
    repository: z.string(),
    connected: z.boolean(),
    authKind: z.enum(["token", "app"]).nullable(),
    installationId: z.number().nullable(),
    connectedAt: when.nullable(),
    webhook: z.object({ url: z.string(), hookId: z.number().nullable() }),
    deployKey: z.object({ publicKey: z.string().nullable(), keyId: z.number().nullable() }),
    stagingLimit: z.number().int(),
  })
  .meta({ id: "GithubConnection" });

const problems = z.array(z.object({ code: z.string(), message: z.string() }));

export const webhookDelivery = defineEndpoint({
  method: "post",
  path: "/api/github/webhook",
  summary: "GitHub webhook deliveries (signed with X-Hub-Signature-256; each delivery id handled once)",
  tags: ["github"],
  output: z.object({ ok: z.boolean(), outcome: z.string(), message: z.string().optional() }),
  alsoStatuses: {
    400: "Malformed delivery",
    401: "Missing or wrong signature",
    404: "Unknown repository",
    413: "Too large",
  },
});

export const getGithub = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/github",
  summary: "The project's GitHub connection (never its secrets) (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  output: githubConnection,
  errors: ["forbidden", "not_found"],
});

export const connectGithub = defineEndpoint({
  method: "put",
  path: "/api/v1/projects/{projectId}/github",
  summary:
    "Connect the repository with a token or an App installation: creates the webhook and deploy key (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  body: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("token"), token: z.string().max(500) }),
    z.object({ kind: z.literal("app"), installationId: z.number().int() }),
  ]),
  output: githubConnection,
  errors: ["forbidden", "not_found", "unavailable"],
});

export const updateStagingLimit = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/github",
  summary: "Set how many branches staging holds (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  body: z.object({ stagingLimit: z.number().int() }),
  output: githubConnection,
  errors: ["forbidden", "not_found"],
});

export const verifyGithub = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/github/verify",
  summary: "Check the repository access, the webhook and the deploy key, naming each problem (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  output: z.object({
    repository: z.object({
      ok: z.boolean(),
      problems,
      private: z.boolean().nullable(),
      defaultBranch: z.string().nullable(),
    }),
    webhook: z.object({
      ok: z.boolean(),
      problems,
      lastDelivery: z
        .object({ guid: z.string(), event: z.string(), statusCode: z.number(), deliveredAt: z.string() })
        .nullable(),
    }),
    deployKey: z.object({ ok: z.boolean(), problems }),
  }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const syncGithub = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/github/sync",
  summary: "Discover the repository's branches (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  output: z.object({
    added: z.array(z.string()),
    updated: z.array(z.string()),
    removed: z.array(z.string()),
  }),
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

const delivery = z
  .object({
    id: z.string(),
    deliveryId: z.string(),
    event: z.string(),
    action: z.string().nullable(),
    ref: z.string().nullable(),
    outcome: z.string(),
    summary: z.string().nullable(),
    error: z.string().nullable(),
    receivedAt: when,
    processedAt: when.nullable(),
  })
  .meta({ id: "WebhookDelivery" });

export const listDeliveries = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/deliveries",
  summary: "Recent webhook deliveries and what Gantry did with them (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId,
  output: z.object({ deliveries: z.array(delivery) }),
  errors: ["forbidden"],
});

export const redeliver = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/deliveries/{deliveryId}/redeliver",
  summary: "Ask GitHub to send a delivery again (Admin)",
  tags: ["github"],
  access: "signed-in",
  params: projectId.extend({ deliveryId: z.string().min(1).max(100) }),
  output: z.object({ requested: z.literal(true) }),
  status: 202,
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

export const moveBranch = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/move",
  summary: "Move a branch to another stage, by the stage rules (Admin)",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  body: z.object({ stage }),
  output: z.object({ id: z.string(), name: z.string(), stage, onNewCommit: z.string() }),
  errors: ["forbidden", "not_found", "conflict"],
});

export const mergeBranch = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/merge",
  summary: "Merge this branch into another on GitHub; a conflict changes nothing (Admin)",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  body: z.object({ into: z.string().min(1).max(100).describe("The target branch's id") }),
  output: z.object({
    result: z.enum(["merged", "up_to_date"]),
    sha: z.string().nullable(),
    source: z.string(),
    target: z.string(),
  }),
  errors: ["forbidden", "not_found", "conflict", "unavailable"],
});

const gateChecks = z.enum(["NONE", "ALL", "NAMED"]);
const deployWindow = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).describe("ISO weekdays, 1 = Monday"),
    startHour: z.number().int().min(0).max(23),
    endHour: z
      .number()
      .int()
      .min(1)
      .max(24)
      .describe("At or before startHour: the window runs past midnight"),
  })
  .meta({ id: "DeployWindow" });

const settings = z
  .object({
    id: z.string(),
    name: z.string(),
    stage,
    onNewCommit: z.enum(["NEW_BUILD", "UPDATE_PREVIOUS", "DO_NOTHING"]),
    moduleInstall: z.enum(["MINE", "FULL", "LIST"]),
    moduleList: z.array(z.string()),
    testTags: z.string().nullable(),
    updateChangedModules: z
      .boolean()
      .describe("production: also update modules whose files changed without a version bump"),
    odooRevision: z.string().nullable(),
    revisionPinnedAt: when.nullable(),
    pin: z.object({
      kind: z.enum(["latest", "pinned", "expiring", "expired"]),
      expiresAt: when.optional(),
      daysLeft: z.number().optional(),
    }),
    series: z.string(),
    revisions: z.array(
      z.object({
        revision: z.string(),
        seenAt: when,
        supersededAt: when.nullable(),
        current: z.boolean(),
      }),
    ),
    servingRevision: z.string().nullable(),
    updateHour: z.number().int(),
    gateChecks: gateChecks.describe("Deploy gate: wait for none, all, or the named checks and statuses"),
    gateCheckNames: z.array(z.string()),
    deployWindow: deployWindow.nullable(),
    timeZone: z.string().describe("The project's time zone, in which the deploy window is read"),
  })
  .meta({ id: "BranchSettings" });

export const getBranchSettings = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/settings",
  summary: "A branch's settings",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  output: settings,
  errors: ["forbidden", "not_found"],
});

export const updateBranchSettings = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/settings",
  summary:
    "Change a branch's behaviour upon new commits, module installation, test tags, Odoo revision, deploy gates",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  body: z.object({
    onNewCommit: z.enum(["NEW_BUILD", "UPDATE_PREVIOUS", "DO_NOTHING"]).optional(),
    moduleInstall: z.enum(["MINE", "FULL", "LIST"]).optional(),
    moduleList: z.array(z.string().max(100)).max(500).optional(),
    testTags: z.string().max(500).nullable().optional(),
    updateChangedModules: z.boolean().optional(),
    odooRevision: z.string().max(64).nullable().optional(),
    gateChecks: gateChecks.optional(),
    gateCheckNames: z.array(z.string().max(200)).max(50).optional(),
    deployWindow: deployWindow.nullable().optional(),
  }),
  output: settings,
  errors: ["forbidden", "not_found", "conflict", "invalid_input"],
});

export const branchBuilds = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/builds",
  summary: "A branch's build history, newest first",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams,
  output: z.object({
    builds: z.array(
      z.object({
        id: z.string(),
        stage,
        commitSha: z.string(),
        commitMessage: z.string(),
        commitAuthor: z.string(),
        status: z.string(),
        result: z.string().nullable(),
        trigger: z.string(),
        url: z.string().nullable(),
        createdAt: when,
        finishedAt: when.nullable(),
        errorSummary: z.string().nullable(),
        gate: deployGate,
      }),
    ),
  }),
  errors: ["forbidden", "not_found"],
});

export const githubEndpoints = [
  webhookDelivery,
  getGithub,
  connectGithub,
  updateStagingLimit,
  verifyGithub,
  syncGithub,
  listDeliveries,
  redeliver,
  moveBranch,
  mergeBranch,
  getBranchSettings,
  updateBranchSettings,
  branchBuilds,
] as const;
