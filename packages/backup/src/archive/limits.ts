import { z } from "zod";

/** Bounds on what an archive may expand to; callers raise them for very large databases. */
export const archiveLimitsSchema = z.object({
  maxEntries: z.number().int().positive().default(2_000_000),
  /** Sum of uncompressed sizes. */
  maxTotalBytes: z
    .number()
    .int()
    .positive()
    .default(500 * 1024 ** 3),
  /** Uncompressed/compressed, per entry larger than ratioFloorBytes. SQL text deflates ~10x. */
  maxRatio: z.number().positive().default(200),
  ratioFloorBytes: z
    .number()
    .int()
    .nonnegative()
    .default(1024 * 1024),
  maxManifestBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});
export type ArchiveLimits = z.input<typeof archiveLimitsSchema>;
