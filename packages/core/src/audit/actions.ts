/** What the audit log records. Stored as text so that older rows stay readable. */
export const auditActions = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_in_locked",
  "project.created",
  "project.renamed",
  "project.deleted",
  "collaborator.invited",
  "collaborator.added",
  "collaborator.role_changed",
  "collaborator.removed",
  "invitation.accepted",
  "invitation.revoked",
  "branch.created",
  "branch.stage_changed",
  "backup.created",
  "backup.restored",
  "shell.opened",
  "token.created",
  "token.revoked",
] as const;
export type AuditAction = (typeof auditActions)[number];
