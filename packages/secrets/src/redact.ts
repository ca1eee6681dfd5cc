// Scrubs known secret values from text meant for logs and error messages.
export const REDACTED = "[redacted]";

// Very short values would scrub ordinary words; below this length they are left alone.
const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  const values = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))]
    // Longest first, so a secret that contains another is removed whole.
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  // Credentials embedded in URLs (https://user:token@host) are scrubbed even when not listed.
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(:[^\s/@]*)?@/gi, `$1${REDACTED}@`);
}
