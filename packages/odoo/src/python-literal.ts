// A safe reader for Python literal syntax, the subset `ast.literal_eval` accepts, so that a
// manifest is read the way Odoo reads it: as data, never executed. Anything that is not a
// literal (names, calls, operators, comprehensions, f-strings) is an error naming the line.
// Resources are bounded: input size, nesting depth and string length are all capped.

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

export class PythonLiteralError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = "PythonLiteralError";
  }
}

export interface LiteralLimits {
  /** Maximum input length in characters. */
  maxLength: number;
  /** Maximum nesting of dicts, lists, tuples and sets. */
  maxDepth: number;
}

export const DEFAULT_LITERAL_LIMITS: LiteralLimits = { maxLength: 1024 * 1024, maxDepth: 32 };

type Token =
  | { kind: "string"; value: string; bytes: boolean; line: number; column: number }
  | { kind: "number"; value: number; line: number; column: number }
  | { kind: "name"; value: string; line: number; column: number }
  | { kind: "punct"; value: string; line: number; column: number }
  | { kind: "newline"; line: number; column: number }
  | { kind: "end"; line: number; column: number };

const OPENERS: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
const CLOSERS = new Set(["}", "]", ")"]);
// Punctuation a literal needs; every other operator character is tokenized only to be refused.
const LITERAL_PUNCT = new Set(["{", "}", "[", "]", "(", ")", ",", ":", "-", "+"]);
const OPERATOR_CHARS = "=<>!*/%&|^~@.;";

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127);
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z0-9_]/.test(c) || c.charCodeAt(0) > 127);
}

class Tokenizer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

  private fail(message: string, line = this.line, column = this.pos - this.lineStart + 1): never {
    throw new PythonLiteralError(message, line, column);
  }

  private newline(): void {
    this.line += 1;
    this.lineStart = this.pos;
  }

  run(): Token[] {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos] as string;
      if (c === " " || c === "\t" || c === "\f") {
        this.pos += 1;
      } else if (c === "\r" || c === "\n") {
        // Inside brackets Python joins lines implicitly; at top level a newline ends the expression.
        if (this.depth === 0) this.tokens.push({ kind: "newline", line: this.line, column: this.col() });
        this.pos += c === "\r" && src[this.pos + 1] === "\n" ? 2 : 1;
        this.newline();
      } else if (c === "#") {
        while (this.pos < src.length && src[this.pos] !== "\n" && src[this.pos] !== "\r") this.pos += 1;
      } else if (c === "\\") {
        // Explicit line continuation: a backslash must be the last character of its line.
        const next = src[this.pos + 1];
        if (next === "\n" || next === "\r") {
          this.pos += next === "\r" && src[this.pos + 2] === "\n" ? 3 : 2;
          this.newline();
        } else {
          this.fail("unexpected character after line continuation character");
        }
      } else if (c === "'" || c === '"') {
        this.readString("");
      } else if (isNameStart(c)) {
        this.readNameOrPrefixedString();
      } else if (isDigit(c) || (c === "." && isDigit(src[this.pos + 1]))) {
        this.readNumber();
      } else if (c in OPENERS) {
        this.depth += 1;
        this.push("punct", c);
        this.pos += 1;
      } else if (CLOSERS.has(c)) {
        this.depth = Math.max(0, this.depth - 1);
        this.push("punct", c);
        this.pos += 1;
      } else if (LITERAL_PUNCT.has(c) || OPERATOR_CHARS.includes(c)) {
        this.push("punct", c);
        this.pos += 1;
      } else {
        this.fail(`invalid character ${JSON.stringify(c)}`);
      }
    }
    this.tokens.push({ kind: "end", line: this.line, column: this.col() });
    return this.tokens;
  }

  private col(): number {
    return this.pos - this.lineStart + 1;
  }

  private push(kind: "punct" | "name", value: string): void {
    this.tokens.push({ kind, value, line: this.line, column: this.col() });
  }

  private readNameOrPrefixedString(): void {
    const src = this.src;
    const start = this.pos;
    const line = this.line;
    const column = this.col();
    while (isNameChar(src[this.pos])) this.pos += 1;
    const word = src.slice(start, this.pos);
    const quote = src[this.pos];
    if (
      (quote === "'" || quote === '"') &&
      /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/.test(word)
    ) {
      const prefix = word.toLowerCase();
      if (prefix.includes("f")) this.fail("f-strings are not literals", line, column);
      this.readString(prefix, line, column);
      return;
    }
    this.tokens.push({ kind: "name", value: word, line, column });
  }

  private readNumber(): void {
    const src = this.src;
    const line = this.line;
    const column = this.col();
    const rest = src.slice(this.pos, this.pos + 400);
    const match =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+|^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?/.exec(
        rest,
      );
    if (!match) this.fail("invalid number");
    const text = match[0];
    if (text.length >= 300) this.fail("number literal too long", line, column);
    this.pos += text.length;
    if (isNameChar(src[this.pos])) this.fail("invalid number literal", line, column);
    if (/[jJ]$/.test(text)) this.fail("complex numbers are not supported", line, column);
    const clean = text.replace(/_/g, "");
    let value: number;
    if (/^0[xXoObB]/.test(clean)) {
      value = Number(clean.toLowerCase());
    } else if (/^\d+$/.test(clean)) {
      // Python 3 forbids leading zeros in decimal integers ("0" and "00" are fine).
      if (/^0+[1-9]/.test(clean))
        this.fail("leading zeros in decimal integer literals are not permitted", line, column);
      value = Number(clean);
    } else {
      value = Number(clean);
    }
    if (Number.isNaN(value)) this.fail("invalid number", line, column);
    this.tokens.push({ kind: "number", value, line, column });
  }

  private readString(prefix: string, line = this.line, column = this.col()): void {
    const src = this.src;
    const raw = prefix.includes("r");
    const bytes = prefix.includes("b");
    const q = src[this.pos] as string;
    const triple = src[this.pos + 1] === q && src[this.pos + 2] === q;
    this.pos += triple ? 3 : 1;
    let out = "";
    for (;;) {
      if (this.pos >= src.length) this.fail("unterminated string literal", line, column);
      const c = src[this.pos] as string;
      if (c === q && (!triple || (src[this.pos + 1] === q && src[this.pos + 2] === q))) {
        this.pos += triple ? 3 : 1;
        break;
      }
      if (c === "\n" || c === "\r") {
        if (!triple) this.fail("unterminated string literal", line, column);
        const crlf = c === "\r" && src[this.pos + 1] === "\n";
        out += "\n";
        this.pos += crlf ? 2 : 1;
        this.newline();
        continue;
      }
      if (bytes && c.charCodeAt(0) > 127) this.fail("bytes can only contain ASCII literal characters");
      if (c !== "\\") {
        out += c;
        this.pos += 1;
        continue;
      }
      out += raw ? this.rawEscape() : this.escape(bytes);
    }
    this.tokens.push({ kind: "string", value: out, bytes, line, column });
  }

  // In a raw string a backslash stays, and it still protects the next character from ending it.
  private rawEscape(): string {
    const src = this.src;
    const next = src[this.pos + 1];
    if (next === undefined) this.fail("unterminated string literal");
    this.pos += 2;
    if (next === "\n" || next === "\r") {
      if (next === "\r" && src[this.pos] === "\n") this.pos += 1;
      this.newline();
      return "\\\n";
    }
    return `\\${next}`;
  }

  private escape(bytes: boolean): string {
    const src = this.src;
    const next = src[this.pos + 1];
    if (next === undefined) this.fail("unterminated string literal");
    if (next === "\n" || next === "\r") {
      // Backslash-newline inside a string is a line continuation: both vanish.
      this.pos += next === "\r" && src[this.pos + 2] === "\n" ? 3 : 2;
      this.newline();
      return "";
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (next >= "0" && next <= "7") {
      const m = /^[0-7]{1,3}/.exec(src.slice(this.pos + 1, this.pos + 4)) as RegExpExecArray;
      this.pos += 1 + m[0].length;
      return String.fromCodePoint(Number.parseInt(m[0], 8));
    }
    const hexLength = next === "x" ? 2 : !bytes && next === "u" ? 4 : !bytes && next === "U" ? 8 : 0;
    if (hexLength > 0) {
      const digits = src.slice(this.pos + 2, this.pos + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) this.fail(`truncated \\${next} escape`);
      const code = Number.parseInt(digits, 16);
      if (code > 0x10ffff) this.fail(`illegal Unicode character in \\${next} escape`);
      this.pos += 2 + hexLength;
      return String.fromCodePoint(code);
    }
    if (!bytes && next === "N") this.fail("\\N{...} escapes are not supported in a manifest");
    // Unknown escapes keep their backslash, as Python does (with a deprecation warning).
    this.pos += 2;
    return `\\${next}`;
  }
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly limits: LiteralLimits,
  ) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.tokens[this.index] as Token;
    this.index += 1;
    return token;
  }

  private fail(token: Token, message: string): never {
    throw new PythonLiteralError(message, token.line, token.column);
  }

  parseDocument(): PyValue {
    while (this.peek().kind === "newline") this.next();
    if (this.peek().kind === "end") this.fail(this.peek(), "empty input: expected a literal");
    const value = this.parseValue(0);
    while (this.peek().kind === "newline") this.next();
    const rest = this.peek();
    if (rest.kind !== "end") this.unexpected(rest, "after the literal");
    return value;
  }

  private isPunct(token: Token, value: string): boolean {
    return token.kind === "punct" && token.value === value;
  }

  private unexpected(token: Token, where: string): never {
    switch (token.kind) {
      case "name":
        this.fail(token, `names are not allowed in a literal (found \`${token.value}\`) ${where}`);
        break;
      case "punct":
        if (token.value === "(") this.fail(token, `calls and parentheses are not allowed ${where}`);
        this.fail(token, `operator or symbol \`${token.value}\` is not allowed ${where}`);
        break;
      case "newline":
        this.fail(token, `unexpected end of line ${where}`);
        break;
      case "end":
        this.fail(token, `unexpected end of input ${where}`);
        break;
      default:
        this.fail(token, `unexpected ${token.kind} ${where}`);
    }
  }

  private parseValue(depth: number): PyValue {
    const token = this.peek();
    if (token.kind === "newline") this.unexpected(token, "in the middle of the literal");
    if (token.kind === "string") return this.parseStrings();
    if (token.kind === "number") {
      this.next();
      return token.value;
    }
    if (token.kind === "name") {
      this.next();
      if (token.value === "True") return true;
      if (token.value === "False") return false;
      if (token.value === "None") return null;
      this.fail(token, `names are not allowed in a literal (found \`${token.value}\`)`);
    }
    if (token.kind === "punct" && (token.value === "-" || token.value === "+")) {
      this.next();
      const operand = this.peek();
      if (operand.kind !== "number") this.fail(token, `unary \`${token.value}\` only applies to a number`);
      this.next();
      return token.value === "-" ? -operand.value : operand.value;
    }
    if (token.kind === "punct" && (token.value === "{" || token.value === "[" || token.value === "(")) {
      if (depth >= this.limits.maxDepth)
        this.fail(token, `nesting deeper than ${this.limits.maxDepth} levels`);
      if (token.value === "{") return this.parseBrace(depth + 1);
      return this.parseSequence(depth + 1);
    }
    this.unexpected(token, "where a value was expected");
  }

  // Adjacent string literals concatenate; mixing bytes and text is an error, as in Python.
  private parseStrings(): string {
    const first = this.next() as Extract<Token, { kind: "string" }>;
    const parts = [first.value];
    let total = first.value.length;
    while (this.peek().kind === "string") {
      const token = this.next() as Extract<Token, { kind: "string" }>;
      if (token.bytes !== first.bytes) this.fail(token, "cannot mix bytes and nonbytes literals");
      parts.push(token.value);
      total += token.value.length;
      if (total > this.limits.maxLength) this.fail(token, "string too long");
    }
    return parts.join("");
  }

  private parseSequence(depth: number): PyValue {
    const open = this.next() as Extract<Token, { kind: "punct" }>;
    const close = OPENERS[open.value] as string;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      const token = this.peek();
      if (this.isPunct(token, close)) {
        this.next();
        break;
      }
      items.push(this.parseValue(depth));
      const after = this.peek();
      if (this.isPunct(after, ",")) {
        this.next();
        sawComma = true;
      } else if (!this.isPunct(after, close)) {
        this.unexpected(after, `in a ${open.value === "[" ? "list" : "tuple"}`);
      }
    }
    // `(x)` is just x in parentheses; `(x,)` and `()` are tuples.
    if (open.value === "(" && items.length === 1 && !sawComma) return items[0] as PyValue;
    return items;
  }

  private parseBrace(depth: number): PyValue {
    const open = this.next();
    if (this.isPunct(this.peek(), "}")) {
      this.next();
      return {};
    }
    const firstKey = this.parseValue(depth);
    if (!this.isPunct(this.peek(), ":")) return this.parseSetRest(firstKey, depth);
    const entries: [string, PyValue][] = [];
    let key: PyValue = firstKey;
    let keyToken = open;
    for (;;) {
      if (typeof key !== "string") this.fail(keyToken, "dict keys must be strings");
      const colon = this.next();
      if (!this.isPunct(colon, ":")) this.unexpected(colon, "in a dict (expected `:`)");
      entries.push([key, this.parseValue(depth)]);
      const after = this.next();
      if (this.isPunct(after, "}")) break;
      if (!this.isPunct(after, ",")) this.unexpected(after, "in a dict");
      if (this.isPunct(this.peek(), "}")) {
        this.next();
        break;
      }
      keyToken = this.peek();
      key = this.parseValue(depth);
    }
    // fromEntries defines own properties, so a "__proto__" key is data, never a prototype.
    return Object.fromEntries(entries);
  }

  // A set literal `{a, b}` reads as a list of its distinct items.
  private parseSetRest(first: PyValue, depth: number): PyValue[] {
    const items: PyValue[] = [first];
    for (;;) {
      const after = this.next();
      if (this.isPunct(after, "}")) break;
      if (!this.isPunct(after, ",")) this.unexpected(after, "in a set");
      if (this.isPunct(this.peek(), "}")) {
        this.next();
        break;
      }
      items.push(this.parseValue(depth));
    }
    return items.filter(
      (item, i) => items.findIndex((other) => JSON.stringify(other) === JSON.stringify(item)) === i,
    );
  }
}

/** Parses Python literal source (what `ast.literal_eval` accepts) into plain data. */
export function parsePythonLiteral(source: string, limits: Partial<LiteralLimits> = {}): PyValue {
  const effective = { ...DEFAULT_LITERAL_LIMITS, ...limits };
  if (source.length > effective.maxLength) {
    throw new PythonLiteralError(`input larger than ${effective.maxLength} characters`, 1, 1);
  }
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const tokens = new Tokenizer(text).run();
  return new Parser(tokens, effective).parseDocument();
}
