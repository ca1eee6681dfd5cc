export { type DatabaseActivity, databaseActivity } from "./activity";
export {
  type AdminServer,
  adminEndpoint,
  loginOf,
  MAINTENANCE_DATABASE,
  onServer,
  type PgAdmin,
  type PgEndpoint,
  type PgLogin,
  pgClient,
  withAdmin,
  withConnection,
} from "./connection";
export { type CopyInput, type CopyReport, copyDatabase } from "./copy/database";
export { type CopyPhase, describePhases } from "./copy/phases";
export { OWN_STREAM_BYTES, planStreams } from "./copy/plan";
export {
  cloneDatabase,
  createDatabase,
  databaseExists,
  databaseOwner,
  databasesWithPrefix,
  dropDatabase,
  listDatabases,
  reassignOwned,
  renameDatabase,
  setDatabaseOwner,
  transferDatabase,
} from "./databases";
export { CLEARED_PG_VARIABLES, connectionArgs, connectionEnv } from "./environment";
export { copyFilestore, type FilestoreCopy, type FilestoreCopyOptions } from "./filestore";
export { ident, qualifiedName, quoteIdent } from "./identifiers";
export {
  createRestoreRole,
  dropDeadRestoreRoles,
  dropRestoredDatabase,
  dropRestoreRole,
  dropRestoreRolesInto,
  handOverRestore,
  prepareRestoreTarget,
  RESTORE_ROLE_PREFIX,
  type RestoreRole,
  restoreRoleCreatedAt,
  restoreRoleName,
} from "./restore-role";
export { actAsRole, createRole, disableLogin, dropRole, listRoles, rolesWithPrefix } from "./roles";
export { MAX_STATEMENT_CHARS, parseSlowQuery, type SlowQuery } from "./slow-log";
export { compareVersions, findPgTool, type PgTool, PgToolMissingError, parsePgVersion } from "./tools";
