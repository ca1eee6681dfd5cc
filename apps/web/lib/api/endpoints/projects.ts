import { branchFeatures, roles, stages } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

// Dates travel as ISO strings: handlers pass rows through `toJson`.
const when = z.string().describe("ISO timestamp");
const role = z.enum(roles);
const stage = z.enum(stages);
const projectId = z.object({ projectId: z.string().min(1).max(100) });

export const project = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    githubOwner: z.string(),
    githubRepo: z.string(),
    odooSeries: z.string(),
    timeZone: z.string().describe("IANA time zone; deploy windows are read in it"),
    createdAt: when,
    role: role.nullable().describe("The caller's role on the project"),
  })
  .meta({ id: "Project" });

export const listProjects = defineEndpoint({
  method: "get",
  path: "/api/v1/projects",
  summary: "The projects the caller collaborates on",
  tags: ["projects"],
  access: "signed-in",
  output: z.object({ projects: z.array(project) }),
});

export const createProject = defineEndpoint({
  method: "post",
  path: "/api/v1/projects",
  summary: "Create a project (platform administrators)",
  tags: ["projects"],
  access: "signed-in",
  body: z.object({
    name: z.string().max(100),
    repository: z.string().describe("GitHub owner/name").max(200),
    odooSeries: z.string().max(10).optional(),
  }),
  output: project,
  status: 201,
  errors: ["forbidden", "conflict"],
});

export const getProject = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}",
  summary: "One project",
  tags: ["projects"],
  access: "signed-in",
  params: projectId,
  output: project,
  errors: ["forbidden", "not_found"],
});

export const renameProject = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}",
  summary: "Rename a project or set its time zone (Admin)",
  tags: ["projects"],
  access: "signed-in",
  params: projectId,
  body: z.object({
    name: z.string().max(100).optional(),
    timeZone: z.string().max(64).optional().describe("IANA name, e.g. Europe/Brussels"),
  }),
  output: project,
  errors: ["forbidden", "not_found", "invalid_input"],
});

const projectNetwork = z
  .object({
    egressStages: z
      .array(stage)
      .describe(
        "The stages whose containers may open connections beyond the host; the others reach only their database and the mail catcher",
      ),
  })
  .meta({ id: "ProjectNetwork" });

export const getProjectNetwork = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/network",
  summary: "Which stages may reach beyond the host (Admin)",
  tags: ["projects"],
  access: "signed-in",
  params: projectId,
  output: projectNetwork,
  errors: ["forbidden", "not_found"],
});

export const setProjectNetwork = defineEndpoint({
  method: "put",
  path: "/api/v1/projects/{projectId}/network",
  summary: "Set which stages may reach beyond the host (Admin); applies to containers started afterwards",
  tags: ["projects"],
  access: "signed-in",
  params: projectId,
  body: z.object({ egressStages: z.array(stage).max(3) }),
  output: projectNetwork,
  errors: ["forbidden", "not_found"],
});

export const deleteProject = defineEndpoint({
  method: "delete",
  path: "/api/v1/projects/{projectId}",
  summary:
    "Delete a project, its containers and databases (Admin; confirm with its name). The project is " +
    "hidden at once; a worker job tears it down.",
  tags: ["projects"],
  access: "signed-in",
  params: projectId,
  query: z.object({
    confirmName: z.string().describe("The project's name, typed to confirm"),
    keepLastBackup: z
      .enum(["true", "false"])
      .default("true")
      .describe("Keep the last production backup (default true)"),
  }),
  output: z.object({ status: z.literal("deleting"), jobId: z.string() }),
  errors: ["forbidden", "not_found"],
});

const branch = z.object({ id: z.string(), name: z.string(), stage, createdAt: when }).meta({ id: "Branch" });
const branchParams = projectId.extend({ branchId: z.string().min(1).max(100) });

export const listBranches = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches",
  summary: "The project's branches by stage",
  tags: ["branches"],
  access: "signed-in",
  params: projectId,
  output: z.object({ branches: z.array(branch) }),
  errors: ["forbidden"],
});

export const createBranch = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/branches",
  summary: "Record a branch by hand with its stage (Admin)",
  tags: ["branches"],
  access: "signed-in",
  params: projectId,
  body: z.object({ name: z.string().max(100), stage: stage.optional() }),
  output: branch,
  status: 201,
  errors: ["forbidden", "conflict"],
});

export const branchAccess = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/branches/{branchId}/access/{feature}",
  summary: "Whether the caller may use a feature on a branch: 200 when allowed, 403 otherwise",
  tags: ["branches"],
  access: "signed-in",
  params: branchParams.extend({ feature: z.enum(branchFeatures) }),
  output: z.object({
    allowed: z.literal(true),
    feature: z.enum(branchFeatures),
    stage,
    role: role.nullable(),
    branchId: z.string(),
  }),
  errors: ["forbidden", "not_found"],
});

const collaborator = z
  .object({
    id: z.string(),
    role,
    createdAt: when,
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      githubLogin: z.string().nullable(),
    }),
  })
  .meta({ id: "Collaborator" });
const invitation = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    githubLogin: z.string().nullable(),
    role,
    expiresAt: when,
    createdAt: when,
  })
  .meta({ id: "Invitation" });

export const listCollaborators = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/collaborators",
  summary: "Collaborators and pending invitations (Admin)",
  tags: ["collaborators"],
  access: "signed-in",
  params: projectId,
  output: z.object({ collaborators: z.array(collaborator), invitations: z.array(invitation) }),
  errors: ["forbidden"],
});

export const inviteCollaborator = defineEndpoint({
  method: "post",
  path: "/api/v1/projects/{projectId}/collaborators",
  summary: "Invite by email or GitHub login; a known user is added at once (Admin)",
  tags: ["collaborators"],
  access: "signed-in",
  params: projectId,
  body: z.object({ email: z.string().max(320).optional(), githubLogin: z.string().max(39).optional(), role }),
  output: z.object({
    kind: z.enum(["added", "invited"]),
    collaborator: collaborator.optional(),
    invitation: invitation.optional(),
    inviteUrl: z
      .string()
      .optional()
      .describe("For an invited email: the link to send to the person; shown only in this answer"),
  }),
  status: 201,
  errors: ["forbidden", "conflict"],
});

const collaboratorParams = projectId.extend({ collaboratorId: z.string().min(1).max(100) });

export const changeRole = defineEndpoint({
  method: "patch",
  path: "/api/v1/projects/{projectId}/collaborators/{collaboratorId}",
  summary: "Change a collaborator's role; the last Admin stays Admin (Admin)",
  tags: ["collaborators"],
  access: "signed-in",
  params: collaboratorParams,
  body: z.object({ role }),
  output: collaborator,
  errors: ["forbidden", "not_found", "conflict"],
});

export const removeCollaborator = defineEndpoint({
  method: "delete",
  path: "/api/v1/projects/{projectId}/collaborators/{collaboratorId}",
  summary: "Remove a collaborator; the last Admin cannot be removed (Admin)",
  tags: ["collaborators"],
  access: "signed-in",
  params: collaboratorParams,
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found", "conflict"],
});

export const revokeInvitation = defineEndpoint({
  method: "delete",
  path: "/api/v1/projects/{projectId}/invitations/{invitationId}",
  summary: "Withdraw a pending invitation (Admin)",
  tags: ["collaborators"],
  access: "signed-in",
  params: projectId.extend({ invitationId: z.string().min(1).max(100) }),
  output: z.object({}),
  status: 204,
  errors: ["forbidden", "not_found"],
});

export const auditEntry = z
  .object({
    id: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    data: z.unknown(),
    ip: z.string().nullable(),
    createdAt: when,
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: "AuditEntry" });

export const listAudit = defineEndpoint({
  method: "get",
  path: "/api/v1/projects/{projectId}/audit",
  summary: "The project's audit log, newest first (Admin)",
  tags: ["audit"],
  access: "signed-in",
  params: projectId,
  query: z.object({
    action: z
      .string()
      .max(100)
      .optional()
      .describe("An action, or a prefix ending in '.' such as 'collaborator.'"),
    userId: z.string().max(100).optional(),
    since: z.iso.datetime().optional(),
    until: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  }),
  output: z.object({ events: z.array(auditEntry) }),
  errors: ["forbidden"],
});

export const projectEndpoints = [
  listProjects,
  createProject,
  getProject,
  renameProject,
  deleteProject,
  getProjectNetwork,
  setProjectNetwork,
  listBranches,
  createBranch,
  branchAccess,
  listCollaborators,
  inviteCollaborator,
  changeRole,
  removeCollaborator,
  revokeInvitation,
  listAudit,
] as const;
