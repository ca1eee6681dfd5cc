// Production's database is the branch's, not a build's: one name per branch under its own
// prefix, which cleanup and reconciliation never drop (builds come and go, it stays).
export const productionDatabasePrefix = "gantry_p_";

export function productionDatabaseName(branchId: string): string {
  if (!/^[a-z0-9]{1,40}$/.test(branchId)) throw new Error(`unexpected branch id ${JSON.stringify(branchId)}`);
  return `${productionDatabasePrefix}${branchId}`;
}

/** The snapshot taken before an update, put back if the update fails. */
export function rollbackDatabaseName(database: string): string {
  return `${database}_rollback`;
}

export function isProductionDatabase(name: string): boolean {
  return name.startsWith(productionDatabasePrefix);
}
