/**
 * The collaborator access matrix as data: feature x stage x role. The original Odoo.sh table
 * (User and Admin columns) is encoded exactly; Tester and Developer are today's split of User.
 * Every decision goes through `can` (policy.ts), and the tests walk these tables, so a feature
 * added here is checked everywhere without further code.
 */
export const roles = ["ADMIN", "USER", "TESTER", "DEVELOPER"] as const;
export type Role = (typeof roles)[number];

export const stages = ["PRODUCTION", "STAGING", "DEVELOPMENT"] as const;
export type Stage = (typeof stages)[number];

/** Tools of one branch: what may be done depends on the branch's stage. */
export const branchFeatures = [
  "history",
  "connect",
  "logs",
  "shell",
  "mails",
  "settings",
  "monitoring",
  "backups",
  "upgrade",
  "deploy",
] as const;
export type BranchFeature = (typeof branchFeatures)[number];

/** Project-wide features: the status page and the project's settings (collaborators, project). */
export const projectFeatures = ["status", "project_settings"] as const;
export type ProjectFeature = (typeof projectFeatures)[number];

const all: readonly Role[] = roles;
const adminOnly: readonly Role[] = ["ADMIN"];
const adminTester: readonly Role[] = ["ADMIN", "TESTER"];
// Odoo.sh has no backups on development branches: nobody gets them there.
const nobody: readonly Role[] = [];

export const branchMatrix: Readonly<Record<BranchFeature, Readonly<Record<Stage, readonly Role[]>>>> = {
  // "Production & Staging: History, Settings" and every development tool: every role.
  history: { PRODUCTION: all, STAGING: all, DEVELOPMENT: all },
  settings: { PRODUCTION: all, STAGING: all, DEVELOPMENT: all },
  // "Production & Staging: 1-click connect, Logs, Shell/SSH, Mails": Admin only in the original;
  // the Tester also gets them on staging.
  connect: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
  logs: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
  shell: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
  mails: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
  // "Monitoring": Admin on production and staging (and the Tester on staging, as with its other
  // tools); a development build's figures are its developer's, like its logs: every role.
  monitoring: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
  // "Backups": production and staging only, Admin (and Tester on staging).
  backups: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: nobody },
  // The Upgrade tab: moving to a new Odoo series is an Admin's decision, tested on staging
  // first; development branches simply build on the series they declare.
  upgrade: { PRODUCTION: adminOnly, STAGING: adminOnly, DEVELOPMENT: nobody },
  // Rebuilding or cancelling a build: production and staging are changed like their other
  // tools (Admin, and the Tester on staging); "History" only lets one look.
  deploy: { PRODUCTION: adminOnly, STAGING: adminTester, DEVELOPMENT: all },
};

export const projectMatrix: Readonly<Record<ProjectFeature, readonly Role[]>> = {
  status: all,
  project_settings: adminOnly,
};

export const roleLabels: Readonly<Record<Role, string>> = {
  ADMIN: "Admin",
  USER: "User",
  TESTER: "Tester",
  DEVELOPER: "Developer",
};

export function isBranchFeature(value: string): value is BranchFeature {
  return (branchFeatures as readonly string[]).includes(value);
}

export function isProjectFeature(value: string): value is ProjectFeature {
  return (projectFeatures as readonly string[]).includes(value);
}
