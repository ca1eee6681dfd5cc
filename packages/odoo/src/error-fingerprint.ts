// The fingerprint of an error found in a build's log: the same fault seen on two builds (other
// ids, database names, addresses, paths, quoted values, times) gets the same fingerprint, so
// Gantry groups it. Pure: text in, text out.
import { createHash } from "node:crypto";

/** What varies from build to build and must not split a group. */
export interface NormalizeContext {
  /** Literal strings to blank out first: the build's database name, its id, its paths. */
  literals?: readonly string[];
}

export interface TracebackFrame {
  file: string;
  function: string;
}

const FRAME = /^\s*File "([^"]{1,1000})", line \d+, in (\S{1,200})\s*$/;
const TRACEBACK = "Traceback (most recent call last):";

// Order matters: whole tokens (UUIDs, addresses, database names) before the digits inside them.
const rules: readonly [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b0x[0-9a-f]+\b/gi, "<addr>"],
  // Gantry's own database names: builds', production's, templates', upgrade copies'.
  [/\b(?:gantry_[a-z]_[a-z0-9_]+|tpl_[a-z0-9_]+)\b/gi, "<db>"],
  // Ids, hashes and tokens: a run of hex of 8 or more with at least one digit.
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, "<hex>"],
  // Quoted values: 'x', "x" (a quote inside a word, as in don't, is no quote).
  [/(?<![\w\\])'(?:[^'\\\n]|\\.){0,500}'/g, "'<v>'"],
  [/(?<![\w\\])"(?:[^"\\\n]|\\.){0,500}"/g, '"<v>"'],
  // Numbers, with their decimals or thousands, not inside a name (test_x2, l10n_be).
  [/(?<!\w)\d+(?:[.,:]\d+)*/g, "<n>"],
  // A list of ids is one value, whatever its length: sale.order(1, 2) and sale.order(3, 4, 5).
  [/<n>(?:\s*,\s*<n>)+/g, "<n>"],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text with what varies between builds replaced by placeholders, whitespace collapsed. */
export function normalizeErrorText(text: string, context: NormalizeContext = {}): string {
  let out = text;
  // Longest first, so a path is replaced before a name inside it.
  const literals = [...(context.literals ?? [])]
    .filter((l) => l.length >= 3)
    .sort((a, b) => b.length - a.length);
  for (const literal of literals) out = out.replace(new RegExp(escapeRegExp(literal), "g"), "<build>");
  for (const [pattern, placeholder] of rules) out = out.replace(pattern, placeholder);
  return out.replace(/\s+/g, " ").trim();
}

/** The frames of the tracebacks in these lines: file and function, never line numbers. */
export function tracebackFrames(lines: readonly string[], context: NormalizeContext = {}): TracebackFrame[] {
  const frames: TracebackFrame[] = [];
  for (const line of lines) {
    const match = FRAME.exec(line);
    if (match)
      frames.push({ file: normalizeErrorText(match[1] as string, context), function: match[2] as string });
  }
  return frames;
}

/**
 * The exception a traceback ends with (`ValueError: …`), normalised: the last line after the
 * last frame that is not indented, or null without a traceback.
 */
export function tracebackException(lines: readonly string[], context: NormalizeContext = {}): string | null {
  const start = lines.findIndex((line) => line.includes(TRACEBACK));
  if (start < 0) return null;
  for (let i = lines.length - 1; i > start; i -= 1) {
    const line = lines[i] as string;
    if (line.trim() === "" || /^\s/.test(line)) continue;
    return normalizeErrorText(line, context).slice(0, 500);
  }
  return null;
}

export interface FingerprintInput {
  logger?: string | null;
  message: string;
  /** The lines after the record's first line (its traceback), if any. */
  continuation: readonly string[];
}

/** sha256 of the logger, the normalised message, the exception and the traceback's frames. */
export function errorFingerprint(input: FingerprintInput, context: NormalizeContext = {}): string {
  const parts = [
    input.logger ?? "",
    normalizeErrorText(input.message, context),
    tracebackException([input.message, ...input.continuation], context) ?? "",
    ...tracebackFrames(input.continuation, context).map((f) => `${f.file}:${f.function}`),
  ];
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}
