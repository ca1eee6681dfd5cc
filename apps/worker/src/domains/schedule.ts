// The recheck of custom domains and certificates, every DOMAIN_RECHECK_MINUTES; 0 removes it.
import { config } from "@gantry/config";
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const recheckDomainsSchedulerId = "recheck-domains";

export async function scheduleDomainRecheck(queue: QueueContext): Promise<void> {
  const minutes = config().DOMAIN_RECHECK_MINUTES;
  const repeat = minutes === 0 ? null : { every: minutes * 60_000 };
  await scheduleJob("maintenance.recheck-domains", recheckDomainsSchedulerId, repeat, { keep: 50 }, queue);
}
