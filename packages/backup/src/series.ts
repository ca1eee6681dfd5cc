/**
 * Odoo series order: 16.0 < 17.0 < saas-17.1 < ... < 18.0 < saas-18.1 < ... < 19.0.
 * A saas-X.Y release sits between X.0 and (X+1).0, so a series maps to the pair [X, Y].
 */
const seriesPattern = /^(?:saas~|saas-)?(\d+)\.(\d+)/;

export function parseSeries(value: string): [number, number] | undefined {
  const match = seriesPattern.exec(value.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareSeries(a: string, b: string): number {
  const pa = parseSeries(a);
  const pb = parseSeries(b);
  if (!pa || !pb) throw new Error(`not an Odoo series: ${pa ? b : a}`);
  return pa[0] - pb[0] || pa[1] - pb[1];
}
