// Per-branch settings: behaviour upon new commits, module installation, test tags and the Odoo
// revision (latest, or a pin that lapses after three months). The matrix's "settings" feature.
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { parseTestTags } from "@gantry/odoo";
import { z } from "zod";
import { type Actor, assertCan, type Stage } from "../access";
import { recordAudit } from "../audit";
import { servingFilter, servingOrder } from "../builds/serving";
import { AppError, parseInput } from "../errors";
import { type DeployWindow, windowOf } from "../gates/window";
import { findRevision, type OdooRevisionView, seriesRevisions } from "../odoo-versions/revisions";
import { type PinState, revisionPinState } from "./rules";

const moduleName = z.string().regex(/^[a-z0-9_]{1,100}$/, "module names: a-z, 0-9 and _");

/** Odoo's own syntax for `--test-tags` (packages/odoo), checked before it is saved. */
function isTestTagsSpec(spec: string): boolean {
  try {
    parseTestTags(spec);
    return true;
  } catch {
    return false;
  }
}

export const branchSettingsInput = z
  .object({
    onNewCommit: z.enum(["NEW_BUILD", "UPDATE_PREVIOUS", "DO_NOTHING"]),
    moduleInstall: z.enum(["MINE", "FULL", "LIST"]),
    moduleList: z.array(moduleName).max(500),
    testTags: z
      .string()
      .trim()
      .max(500)
      .regex(/^[A-Za-z0-9_,:./+\-*\s]*$/, "test tags: letters, digits and , : . / + - * _")
      .refine(isTestTagsSpec, {
        message: "test tags: comma-separated [-][tag][/module][:class][.method], e.g. /my_module,-slow",
      })
      .nullable(),
    updateChangedModules: z.boolean(),
    odooRevision: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{7,64}$/, "a revision of the series' image (7 to 64 hex digits of its id)")
      .nullable()
      .describe("null: the latest revision of the series; else a revision Gantry has seen"),
    // Deploy gates (production and staging).
    gateChecks: z.enum(["NONE", "ALL", "NAMED"]),
    gateCheckNames: z.array(z.string().trim().min(1).max(200)).max(50),
    deployWindow: z
      .object({
        days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
        startHour: z.number().int().min(0).max(23),
        endHour: z.number().int().min(1).max(24),
      })
      .nullable()
      .describe("null: deploy at any time; end at or before start: past midnight"),
  })
  .partial()
  .refine((v) => v.gateChecks !== "NAMED" || (v.gateCheckNames?.length ?? 0) > 0, {
    message: "waiting for named checks needs at least one name",
    path: ["gateCheckNames"],
  })
  .refine((v) => v.moduleInstall !== "LIST" || (v.moduleList?.length ?? 0) > 0, {
    message: "a list installation needs at least one module",
    path: ["moduleList"],
  });

export interface BranchSettings {
  id: string;
  name: string;
  stage: Stage;
  onNewCommit: "NEW_BUILD" | "UPDATE_PREVIOUS" | "DO_NOTHING";
  moduleInstall: "MINE" | "FULL" | "LIST";
  moduleList: string[];
  testTags: string | null;
  updateChangedModules: boolean;
  odooRevision: string | null;
  revisionPinnedAt: Date | null;
  pin: PinState;
  /** The branch's series and the revisions of it a pin may name, newest (current) first. */
  series: string;
  revisions: OdooRevisionView[];
  /** The revision the branch's serving build runs (null: nothing serves). */
  servingRevision: string | null;
  /** The UTC hour production branches move to a new revision. */
  updateHour: number;
  gateChecks: "NONE" | "ALL" | "NAMED";
  gateCheckNames: string[];
  deployWindow: DeployWindow | null;
  /** The project's time zone, in which the window is read. */
  timeZone: string;
}

const select = {
  id: true,
  name: true,
  stage: true,
  onNewCommit: true,
  moduleInstall: true,
  moduleList: true,
  testTags: true,
  updateChangedModules: true,
  odooRevision: true,
  revisionPinnedAt: true,
  odooSeries: true,
  gateChecks: true,
  gateCheckNames: true,
  deployWindowDays: true,
  deployWindowStart: true,
  deployWindowEnd: true,
  project: { select: { odooSeries: true, timeZone: true } },
} as const;

async function load(projectId: string, branchId: string) {
  const branch = await prisma().branch.findFirst({ where: { id: branchId, projectId }, select });
  if (!branch) throw new AppError("not_found", "No such branch");
  return branch;
}

async function view(b: Awaited<ReturnType<typeof load>>): Promise<BranchSettings> {
  const { odooSeries, project, deployWindowDays, deployWindowStart, deployWindowEnd, ...rest } = b;
  const series = odooSeries ?? project.odooSeries;
  const serving = await prisma().build.findFirst({
    where: { branchId: b.id, ...servingFilter },
    orderBy: servingOrder,
    select: { odooRevision: true },
  });
  return {
    ...rest,
    pin: revisionPinState(b.odooRevision, b.revisionPinnedAt),
    series,
    revisions: await seriesRevisions(series),
    servingRevision: serving?.odooRevision ?? null,
    updateHour: config().ODOO_UPDATE_HOUR,
    deployWindow: windowOf({ deployWindowDays, deployWindowStart, deployWindowEnd }),
    timeZone: project.timeZone,
  };
}

export async function getBranchSettings(
  actor: Actor,
  projectId: string,
  branchId: string,
): Promise<BranchSettings> {
  assertCan(actor, "status", { projectId });
  const branch = await load(projectId, branchId);
  assertCan(actor, "settings", { projectId, stage: branch.stage });
  return view(branch);
}

export async function updateBranchSettings(
  actor: Actor,
  projectId: string,
  branchId: string,
  input: z.input<typeof branchSettingsInput>,
  ip?: string,
): Promise<BranchSettings> {
  assertCan(actor, "status", { projectId });
  const before = await load(projectId, branchId);
  assertCan(actor, "settings", { projectId, stage: before.stage });
  const { deployWindow, ...data } = parseInput(branchSettingsInput, input);
  const gates =
    data.gateChecks !== undefined || data.gateCheckNames !== undefined || deployWindow !== undefined;
  if (gates && before.stage === "DEVELOPMENT") {
    throw new AppError("invalid_input", "Deploy gates apply to production and staging branches only");
  }
  // A gate holds deploys back: loosening it is deploying, so it takes the stage's deploy right
  // (Admins on production), not only the settings right every collaborator has.
  if (gates) assertCan(actor, "deploy", { projectId, stage: before.stage });
  if (data.odooRevision) {
    const series = before.odooSeries ?? before.project.odooSeries;
    const known = await findRevision(series, data.odooRevision);
    if (!known) {
      throw new AppError(
        "invalid_input",
        `${data.odooRevision} is not a revision of Odoo ${series} seen here: pick one from the list`,
      );
    }
    data.odooRevision = known;
  }
  const revisionChanged = data.odooRevision !== undefined && data.odooRevision !== before.odooRevision;
  const updated = await prisma().branch.updateMany({
    where: { id: branchId, projectId, stage: before.stage },
    data: {
      ...data,
      ...(data.moduleInstall && data.moduleInstall !== "LIST" ? { moduleList: [] } : {}),
      ...(data.gateChecks && data.gateChecks !== "NAMED" ? { gateCheckNames: [] } : {}),
      ...(deployWindow !== undefined
        ? {
            deployWindowDays: deployWindow ? [...new Set(deployWindow.days)].sort((a, b) => a - b) : [],
            deployWindowStart: deployWindow?.startHour ?? 0,
            deployWindowEnd: deployWindow?.endHour ?? 24,
          }
        : {}),
      ...(revisionChanged
        ? { revisionPinnedAt: data.odooRevision ? new Date() : null, revisionWarnedAt: null }
        : {}),
    },
  });
  if (updated.count !== 1) throw new AppError("conflict", "The branch changed meanwhile; reload");
  await recordAudit({
    action: "branch.settings_changed",
    projectId,
    userId: actor.userId,
    target: branchId,
    ip,
    data: { name: before.name, ...data, ...(deployWindow !== undefined ? { deployWindow } : {}) },
  });
  return view(await load(projectId, branchId));
}
