export { classifyEntryName, type EntryKind } from "./archive/entries";
export { type ExtractResult, extractFilestore, openDumpStream } from "./archive/extract";
export { type FilestoreListing, listFilestore } from "./archive/filestore";
export {
  type DumpKind,
  type DumpToArchiveOptions,
  type DumpToArchiveResult,
  dumpKindOf,
  dumpToArchive,
} from "./archive/from-dump";
export {
  type InspectedEntry,
  type InspectOptions,
  type InspectResult,
  inspectArchive,
} from "./archive/inspect";
export { type ArchiveLimits, archiveLimitsSchema } from "./archive/limits";
export { type BackupResult, type CreateBackupOptions, createBackup } from "./archive/write";
export { freeBytes, hasFreeSpace } from "./disk";
export { BackupError, type BackupErrorCode, backupErrorCodes, isBackupError } from "./errors";
export { type GantryManifest, type Manifest, manifestSchema } from "./manifest";
export { type PgConnection, pgConnectionSchema } from "./pg/connection";
export {
  checkPsqlFor,
  type RestoreOptions,
  type RestoreResult,
  restoreBackup,
} from "./restore";
export * from "./retention";
export { type ScreenResult, SqlScreener, screenSqlStream, screenSqlText } from "./sql/screen";
export * from "./storage";
export { type VerifyOptions, type VerifyReport, verifyBackup, verifyScratchFolder } from "./verify";
