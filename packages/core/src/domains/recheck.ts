// The scheduled recheck of every custom domain (maintenance.recheck-domains): its DNS looked up
// again and, once verified, the certificate Caddy serves for it read back over TLS. A pending or
// failed domain whose DNS now points here is verified and routed. A verified one whose DNS no
// longer does stays routed (a resolver's bad minute must not take a production domain down) with
// the reason shown; that, a renewal that keeps failing, or no certificate a day after
// verification tells the project's Admins, once per problem (problemNotifiedAt).
import { bestEffort } from "@gantry/config";
import { prisma } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { notifyProject } from "../notify";
import { routeBranchDomains } from "../routing";
import { refreshCertificate } from "./certificate";
import { describeAnswer, judgeAnswer, lookupDomain } from "./dns";
import { branchCnameTargets } from "./domains";

/** How long a verified domain may go without its first certificate before it is a problem. */
const firstCertificateGraceMs = 24 * 60 * 60 * 1000;

export interface RecheckOutcome {
  domainId: string;
  name: string;
  verification: "PENDING" | "VERIFIED" | "FAILED";
  /** What is wrong now, or null. */
  problem: string | null;
  /** Whether the project's Admins were told of it by this recheck. */
  notified: boolean;
}

type Row = NonNullable<Awaited<ReturnType<typeof loadRow>>>;
function loadRow(domainId: string) {
  return prisma().domain.findUnique({
    where: { id: domainId },
    include: { branch: { select: { projectId: true } } },
  });
}

/** Looks the DNS up again; answers the verification now in force and a DNS problem to report. */
async function recheckDns(row: Row): Promise<{ verified: boolean; problem: string | null }> {
  const answer = await lookupDomain(row.name);
  const verdict = judgeAnswer(row.name, answer, await branchCnameTargets(row.branchId));
  const now = new Date();
  const seen = { dnsAnswer: describeAnswer(answer), checkedAt: now };
  if (verdict.verified) {
    await prisma().domain.update({
      where: { id: row.id },
      data: { ...seen, verification: "VERIFIED", verificationReason: null, verifiedAt: now },
    });
    if (row.verification !== "VERIFIED") {
      await bestEffort("routing the branch's custom domains", () => routeBranchDomains(row.branchId), {
        fields: { branchId: row.branchId },
      });
    }
    return { verified: true, problem: null };
  }
  if (row.verification === "VERIFIED") {
    const reason = `The DNS no longer points at Gantry (still served until checked by hand): ${verdict.reason}`;
    await prisma().domain.update({ where: { id: row.id }, data: { ...seen, verificationReason: reason } });
    return { verified: true, problem: reason };
  }
  await prisma().domain.update({
    where: { id: row.id },
    data: { ...seen, verification: "FAILED", verificationReason: verdict.reason },
  });
  return { verified: false, problem: null };
}

/** A certificate error worth telling: a renewal that fails, or none long after verification. */
function certificateProblem(row: Row, error: string | null): string | null {
  if (!error) return null;
  const hadOne = row.certIssuer !== null;
  const waited = row.verifiedAt !== null && Date.now() - row.verifiedAt.getTime() > firstCertificateGraceMs;
  return hadOne || waited ? `Certificate of ${row.name}: ${error}` : null;
}

export async function recheckDomain(domainId: string, queue?: QueueContext): Promise<RecheckOutcome | null> {
  const row = await loadRow(domainId);
  if (!row) return null;
  const dns = await recheckDns(row);
  const certError = dns.verified ? await refreshCertificate(row.id, row.name) : null;
  const problem = dns.problem ?? certificateProblem(row, certError);
  const notify = problem !== null && row.problemNotifiedAt === null;
  await prisma().domain.update({
    where: { id: row.id },
    data: { problemNotifiedAt: problem === null ? null : (row.problemNotifiedAt ?? new Date()) },
  });
  if (notify) {
    await notifyProject(
      row.branch.projectId,
      { type: "domain.problem", domainId: row.id, reason: problem },
      queue,
    );
  }
  const verification = dns.verified ? "VERIFIED" : "FAILED";
  return { domainId: row.id, name: row.name, verification, problem, notified: notify };
}

/** Rechecks every custom domain; one domain's failure is logged and the others go on. */
export async function recheckDomains(queue?: QueueContext): Promise<RecheckOutcome[]> {
  const rows = await prisma().domain.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  const outcomes: RecheckOutcome[] = [];
  for (const { id } of rows) {
    const outcome = await bestEffort("rechecking a custom domain", () => recheckDomain(id, queue), {
      fields: { domainId: id },
    });
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}
