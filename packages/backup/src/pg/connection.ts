import { z } from "zod";

/** Where a database lives; the password reaches child processes only through PGPASSWORD. */
export const pgConnectionSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  user: z.string().min(1),
  password: z.string().optional(),
  database: z.string().min(1).max(63),
});
export type PgConnection = z.input<typeof pgConnectionSchema>;
