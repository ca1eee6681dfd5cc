import { systemHealth } from "@gantry/core";
import { type Reply, reply } from "./api/reply";

/** The health report answered 200 when every component is ok and 503 otherwise. */
export async function healthReply(): Promise<Reply<Awaited<ReturnType<typeof systemHealth>>>> {
  const report = await systemHealth();
  return reply(report.status === "ok" ? 200 : 503, report);
}
