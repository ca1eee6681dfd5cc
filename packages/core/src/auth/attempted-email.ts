import { z } from "zod";

const signInBody = z.object({ email: z.string() });
const formTypes = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The email a sign-in attempt names, read from a copy of its body whatever the content type
 * (JSON or a form), so no encoding slips past the lock-out; null when none can be read.
 */
export async function attemptedEmail(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  const copy = request.clone();
  try {
    if (formTypes.has(type)) {
      const email = (await copy.formData()).get("email");
      return typeof email === "string" ? email : null;
    }
    const parsed = signInBody.safeParse(JSON.parse(await copy.text()));
    return parsed.success ? parsed.data.email : null;
  } catch {
    return null;
  }
}
