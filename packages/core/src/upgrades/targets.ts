// Which series a branch may be upgraded to: the major series newer than the one it runs, for
// which the Odoo image exists on the Docker Engine (as the live workers report it).

import { config } from "@gantry/config";
import { compareSeries, isSeries } from "@gantry/odoo";
import { seriesOnEngines } from "../health/engine";

/** The series Gantry offers as targets, oldest first (Odoo.sh offers the major ones). */
export const upgradeSeries = ["16.0", "17.0", "18.0", "19.0"] as const;

export function imageOf(series: string): string {
  return `${config().ODOO_IMAGE}:${series}`;
}

/** The newer series with an image, oldest first. */
export async function availableTargets(current: string): Promise<string[]> {
  if (!isSeries(current)) return [];
  const present = await seriesOnEngines();
  return upgradeSeries.filter((series) => compareSeries(series, current) > 0 && present.has(series));
}
