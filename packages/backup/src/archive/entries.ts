import { BackupError } from "../errors";

/**
 * The only names an Odoo backup zip may hold. Names are checked as raw bytes decoded as
 * UTF-8, before any normalisation a zip library might do (yauzl would turn `\` into `/`).
 */
export type EntryKind = "dump" | "customDump" | "manifest" | "filestore" | "directory";

const segment = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;

export interface EntryRules {
  /** Accept `dump.dump` (pg_dump custom format) beside or instead of dump.sql. */
  allowCustomDump?: boolean;
}

/** Classifies an entry name or throws ZIP_SLIP / ENTRY_NOT_ALLOWED. */
export function classifyEntryName(name: string, rules: EntryRules = {}): EntryKind {
  if (
    name.includes("\\") ||
    name.startsWith("/") ||
    /^[A-Za-z]:/.test(name) ||
    name.split("/").some((part) => part === ".." || part === ".") ||
    name.includes("\0")
  ) {
    throw new BackupError("ZIP_SLIP", `archive entry ${JSON.stringify(name)} points outside the archive`, {
      name,
    });
  }
  if (name === "dump.sql") return "dump";
  if (name === "manifest.json") return "manifest";
  if (name === "dump.dump" && rules.allowCustomDump) return "customDump";
  if (name === "filestore/") return "directory";
  if (name.startsWith("filestore/")) {
    const isDir = name.endsWith("/");
    const parts = name.slice("filestore/".length, isDir ? -1 : undefined).split("/");
    if (parts.length <= 8 && parts.every((p) => segment.test(p))) return isDir ? "directory" : "filestore";
  }
  throw new BackupError(
    "ENTRY_NOT_ALLOWED",
    `archive entry ${JSON.stringify(name)} is not part of an Odoo backup`,
    {
      name,
    },
  );
}

/** A relative filestore path the writer may store (same rules as reading it back). */
export function isStorableFilestorePath(relative: string): boolean {
  const parts = relative.split("/");
  return parts.length <= 8 && parts.every((p) => segment.test(p));
}
