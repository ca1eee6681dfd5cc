// The scheduled recheck: every custom domain (core's recheckDomains tells the Admins of a
// problem), then the dashboard's own certificate, whose trouble has no project to tell and is
// logged as an error for whoever runs Gantry.
import { dashboardHost, readCertificate, recheckDomains, renewalOverdue } from "@gantry/core";
import type { JobHandler } from "../handler";

async function dashboardProblem(): Promise<string | null> {
  const host = dashboardHost();
  if (!host) return null;
  const state = await readCertificate(host);
  return "error" in state ? state.error : renewalOverdue(state);
}

export const recheckDomainsJob: JobHandler<"maintenance.recheck-domains"> = async (_payload, context) => {
  const outcomes = await recheckDomains(context.services.queue);
  const problems = outcomes.flatMap((o) =>
    o.problem ? [{ name: o.name, problem: o.problem, notified: o.notified }] : [],
  );
  const dashboard = await dashboardProblem();
  if (dashboard)
    context.logger.error({ host: dashboardHost(), problem: dashboard }, "the dashboard's certificate");
  return { checked: outcomes.length, problems, dashboard };
};
