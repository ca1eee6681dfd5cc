// Branch names arrive from webhooks and GitHub's API; they are validated with git's own ref
// rules before use, and turned into a slug for names where only [a-z0-9-] is safe.
import { createHash } from "node:crypto";

export const BRANCH_REF_PREFIX = "refs/heads/";
const MAX_BRANCH_BYTES = 255;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether `name` is a valid branch name under `git check-ref-format --branch` rules:
 * no "..", no control characters or space, none of ~ ^ : ? * [ \, no "@{", not "@",
 * no component starting with "." or ending with ".lock", no empty component, not ending
 * with "/" or ".", not starting with "-"; also refuses "HEAD", which git will not create.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || Buffer.byteLength(name, "utf8") > MAX_BRANCH_BYTES) return false;
  if (name === "@" || name === "HEAD" || name.startsWith("-")) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes("..") || name.includes("@{")) return false;
  if (name.endsWith("/") || name.endsWith(".")) return false;
  for (const component of name.split("/")) {
    if (component.length === 0 || component.startsWith(".") || component.endsWith(".lock")) return false;
  }
  // Lone surrogates cannot be written as UTF-8, so they cannot be in a real ref.
  return !LONE_SURROGATE.test(name);
}

/** The branch name of a full ref, or null when it is not a (valid) branch ref. */
export function branchFromRef(ref: string): string | null {
  if (!ref.startsWith(BRANCH_REF_PREFIX)) return null;
  const name = ref.slice(BRANCH_REF_PREFIX.length);
  return isValidBranchName(name) ? name : null;
}

const MAX_LABEL = 63;
const HASH_LENGTH = 6;

/**
 * A DNS-label-safe slug ([a-z0-9-], at most 63 characters, no leading or trailing dash) for
 * container names, database names and hostnames. When the name had to be altered or cut, a
 * short hash of the original is appended so that distinct branches keep distinct slugs.
 */
export function safeSlug(branch: string): string {
  const base = branch
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (base === branch && base.length > 0 && base.length <= MAX_LABEL) return base;
  const hash = createHash("sha256").update(branch, "utf8").digest("hex").slice(0, HASH_LENGTH);
  const head = base.slice(0, MAX_LABEL - HASH_LENGTH - 1).replace(/-+$/, "");
  return head ? `${head}-${hash}` : `b-${hash}`;
}
