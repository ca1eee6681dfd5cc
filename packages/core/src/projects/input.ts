import { z } from "zod";
import { isTimeZone } from "../gates/window";

/** What a person types for a project; names are free text (escaped on display, never parsed). */
export const projectName = z.string().trim().min(1, "required").max(100);
export const repository = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "must be owner/name as on GitHub");
export const odooSeries = z.string().regex(/^\d{2}\.\d$/, "an Odoo series such as 17.0");

export const newProjectInput = z.object({
  name: projectName,
  repository,
  odooSeries: odooSeries.default("17.0"),
});
/** An IANA time zone ("Europe/Brussels"), in which deploy windows are read. */
export const timeZoneName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZone, "an IANA time zone such as Europe/Brussels or UTC");
export const renameProjectInput = z
  .object({ name: projectName, timeZone: timeZoneName })
  .partial()
  .refine((v) => v.name !== undefined || v.timeZone !== undefined, "a name or a time zone");
export const deleteProjectInput = z.object({
  confirmName: z.string(),
  /** The last production backup is kept unless this is false. */
  keepLastBackup: z.boolean().default(true),
});

/** A URL-safe slug from a name; a suffix keeps it unique when needed. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "project";
}
