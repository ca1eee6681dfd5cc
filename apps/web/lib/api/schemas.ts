import { errorCodes } from "@gantry/core";
import { z } from "zod";

/** The body of every error answer of the API. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.infer<typeof errorBody>;

/** One failed rule of a request, as `details.issues` lists them for `invalid_input`. */
export interface InputIssue {
  /** Where in the request: the first element is "body", "query" or "params". */
  path: (string | number)[];
  message: string;
}
