// Custom domains of a branch: add, verify (DNS), make primary, remove. The branch's settings
// right on its stage decides; every change is audited, re-routes the branch's domains in Caddy
// and writes web.base.url when the primary changed.
import { bestEffort, config } from "@gantry/config";
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { servingSlug } from "../builds/phases";
import { servingFilter, servingOrder } from "../builds/serving";
import { AppError, parseInput } from "../errors";
import { buildHost, routeBranchDomains } from "../routing";
import { applyBaseUrl, domainUrl } from "./base-url";
import { refreshCertificate } from "./certificate";
import { describeAnswer, judgeAnswer, lookupDomain } from "./dns";
import { displayName, isApex, normalizeDomain } from "./names";

export const domainInput = z.object({
  name: z.string().max(300).describe("The host name, e.g. www.example.com (IDN allowed: stored in punycode)"),
  primary: z.boolean().optional().describe("Odoo's web.base.url follows the primary domain"),
});

export interface DnsRecord {
  type: "CNAME" | "A" | "AAAA";
  name: string;
  value: string;
}

export interface DomainView {
  id: string;
  name: string;
  displayName: string;
  url: string;
  primary: boolean;
  apex: boolean;
  verification: "PENDING" | "VERIFIED" | "FAILED";
  verificationReason: string | null;
  dnsAnswer: string | null;
  checkedAt: Date | null;
  verifiedAt: Date | null;
  /** The records to create: any one of them verifies the domain. */
  records: DnsRecord[];
  /** An explanation for a bare domain (no CNAME possible at the apex). */
  note: string | null;
  certificate: {
    issuer: string | null;
    expiresAt: Date | null;
    error: string | null;
    checkedAt: Date | null;
  };
}

const branchFields = { id: true, name: true, stage: true, project: { select: { slug: true } } } as const;

async function loadBranch(actor: Actor, projectId: string, branchId: string) {
  assertCan(actor, "status", { projectId });
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId },
    select: branchFields,
  });
  if (!branch) throw new AppError("not_found", "No such branch");
  assertCan(actor, "settings", { projectId, stage: branch.stage });
  return branch;
}
type Branch = Awaited<ReturnType<typeof loadBranch>>;

/** The hosts a CNAME of the branch's domains may name, for the scheduled recheck (no actor). */
export async function branchCnameTargets(branchId: string): Promise<string[]> {
  const branch = await prisma().branch.findUnique({ where: { id: branchId }, select: branchFields });
  return branch ? cnameTargets(branch) : [];
}

/** The project's stable host under BASE_DOMAIN: what a CNAME names. */
function projectHost(branch: Branch): string {
  return buildHost(servingSlug("PRODUCTION", branch.project.slug, branch.name, branch.id));
}

/** Hosts a CNAME may name: the project's host and the host of the build serving the branch. */
async function cnameTargets(branch: Branch): Promise<string[]> {
  const serving = await prisma().build.findFirst({
    where: { branchId: branch.id, ...servingFilter },
    orderBy: servingOrder,
    select: { url: true },
  });
  const servingHost = serving?.url ? new URL(serving.url).hostname : null;
  return [...new Set([projectHost(branch), ...(servingHost ? [servingHost] : [])])];
}

function records(name: string, apex: boolean, target: string): DnsRecord[] {
  const { PUBLIC_IPV4: v4, PUBLIC_IPV6: v6 } = config();
  const direct: DnsRecord[] = [
    ...(v4 ? [{ type: "A" as const, name, value: v4 }] : []),
    ...(v6 ? [{ type: "AAAA" as const, name, value: v6 }] : []),
  ];
  return apex ? direct : [{ type: "CNAME", name, value: target }, ...direct];
}

function apexNote(name: string): string {
  return `${name} is a bare domain: DNS allows no CNAME at a domain's apex (it would hide its MX and NS records), so point its A/AAAA records at Gantry's public address instead, or use a subdomain such as www.${name} with a CNAME.`;
}

type Row = Awaited<ReturnType<typeof rowsOf>>[number];
function rowsOf(branchId: string) {
  return prisma().domain.findMany({ where: { branchId }, orderBy: [{ primary: "desc" }, { name: "asc" }] });
}

function view(row: Row, target: string): DomainView {
  const apex = isApex(row.name);
  return {
    id: row.id,
    name: row.name,
    displayName: displayName(row.name),
    url: domainUrl(row.name),
    primary: row.primary,
    apex,
    verification: row.verification,
    verificationReason: row.verificationReason,
    dnsAnswer: row.dnsAnswer,
    checkedAt: row.checkedAt,
    verifiedAt: row.verifiedAt,
    records: records(row.name, apex, target),
    note: apex ? apexNote(row.name) : null,
    certificate: {
      issuer: row.certIssuer,
      expiresAt: row.certExpiresAt,
      error: row.certError,
      checkedAt: row.certCheckedAt,
    },
  };
}

export async function listDomains(actor: Actor, projectId: string, branchId: string): Promise<DomainView[]> {
  const branch = await loadBranch(actor, projectId, branchId);
  const target = projectHost(branch);
  return (await rowsOf(branchId)).map((row) => view(row, target));
}

/** Looks the domain up and stores the verdict; answers the updated row. */
async function check(branch: Branch, id: string, name: string): Promise<Row> {
  const answer = await lookupDomain(name);
  const verdict = judgeAnswer(name, answer, await cnameTargets(branch));
  const now = new Date();
  return prisma().domain.update({
    where: { id },
    data: {
      dnsAnswer: describeAnswer(answer),
      checkedAt: now,
      verification: verdict.verified ? "VERIFIED" : "FAILED",
      verificationReason: verdict.verified ? null : verdict.reason,
      ...(verdict.verified ? { verifiedAt: now } : {}),
    },
  });
}

/** Caddy and Odoo follow the branch's domains; a failure there is logged, the change stays. */
async function propagate(branchId: string): Promise<void> {
  await bestEffort("routing the branch's custom domains", () => routeBranchDomains(branchId), {
    fields: { branchId },
  });
  await bestEffort("writing web.base.url", () => applyBaseUrl(branchId), { fields: { branchId } });
}

export async function addDomain(
  actor: Actor,
  projectId: string,
  branchId: string,
  input: z.input<typeof domainInput>,
  ip?: string,
): Promise<DomainView> {
  const branch = await loadBranch(actor, projectId, branchId);
  const parsed = parseInput(domainInput, input);
  const name = normalizeDomain(parsed.name);
  const { PUBLIC_IPV4, PUBLIC_IPV6 } = config();
  if (isApex(name) && !PUBLIC_IPV4 && !PUBLIC_IPV6) {
    throw new AppError(
      "invalid_input",
      `${apexNote(name)} This Gantry has no public address configured (PUBLIC_IPV4/PUBLIC_IPV6), so only a subdomain can be added.`,
    );
  }
  const taken = await prisma().domain.findUnique({ where: { name }, select: { branchId: true } });
  if (taken) {
    throw new AppError(
      "conflict",
      taken.branchId === branchId
        ? `${name} is already a domain of this branch`
        : `${name} is already used by another branch or project`,
    );
  }
  const first = (await prisma().domain.count({ where: { branchId } })) === 0;
  const primary = parsed.primary ?? first;
  const created = await prisma()
    .$transaction(async (tx) => {
      if (primary) await tx.domain.updateMany({ where: { branchId }, data: { primary: false } });
      return tx.domain.create({ data: { branchId, name, primary } });
    })
    .catch((error: unknown) => {
      // Two adds of the same name at once: the unique index decides.
      if ((error as { code?: string }).code === "P2002")
        throw new AppError("conflict", `${name} is already used`);
      throw error;
    });
  await recordAudit({
    action: "domain.added",
    projectId,
    userId: actor.userId,
    target: branchId,
    ip,
    data: { name },
  });
  const row = await check(branch, created.id, name);
  await propagate(branchId);
  return view(row, projectHost(branch));
}

async function loadDomain(branchId: string, domainId: string): Promise<Row> {
  const row = await prisma().domain.findFirst({ where: { id: domainId, branchId } });
  if (!row) throw new AppError("not_found", "No such domain on this branch");
  return row;
}

export async function verifyDomain(
  actor: Actor,
  projectId: string,
  branchId: string,
  domainId: string,
): Promise<DomainView> {
  const branch = await loadBranch(actor, projectId, branchId);
  const before = await loadDomain(branchId, domainId);
  const checked = await check(branch, before.id, before.name);
  if (checked.verification !== before.verification) await propagate(branchId);
  if (checked.verification !== "VERIFIED") return view(checked, projectHost(branch));
  await refreshCertificate(checked.id, checked.name);
  return view(await loadDomain(branchId, checked.id), projectHost(branch));
}

export async function makePrimaryDomain(
  actor: Actor,
  projectId: string,
  branchId: string,
  domainId: string,
  ip?: string,
): Promise<DomainView> {
  const branch = await loadBranch(actor, projectId, branchId);
  const row = await loadDomain(branchId, domainId);
  await prisma().$transaction([
    prisma().domain.updateMany({ where: { branchId }, data: { primary: false } }),
    prisma().domain.update({ where: { id: row.id }, data: { primary: true } }),
  ]);
  await recordAudit({
    action: "domain.primary",
    projectId,
    userId: actor.userId,
    target: branchId,
    ip,
    data: { name: row.name },
  });
  await propagate(branchId);
  return view({ ...row, primary: true }, projectHost(branch));
}

export async function removeDomain(
  actor: Actor,
  projectId: string,
  branchId: string,
  domainId: string,
  ip?: string,
): Promise<void> {
  await loadBranch(actor, projectId, branchId);
  const row = await loadDomain(branchId, domainId);
  await prisma().$transaction(async (tx) => {
    await tx.domain.delete({ where: { id: row.id } });
    if (!row.primary) return;
    // The branch keeps a primary domain while it has any: the oldest one left.
    const next = await tx.domain.findFirst({ where: { branchId }, orderBy: { createdAt: "asc" } });
    if (next) await tx.domain.update({ where: { id: next.id }, data: { primary: true } });
  });
  await recordAudit({
    action: "domain.removed",
    projectId,
    userId: actor.userId,
    target: branchId,
    ip,
    data: { name: row.name },
  });
  await propagate(branchId);
}
