// A custom domain's name as the user typed it, made into the one form Gantry stores and routes:
// lower case, no trailing dot, internationalized names in punycode (xn--). Anything that is not
// a plain host name (a URL, a port, a wildcard, an address, a name under BASE_DOMAIN) is refused
// with a message saying what to type instead.
import { isIP } from "node:net";
import { domainToASCII, domainToUnicode } from "node:url";
import { config } from "@gantry/config";
import { AppError } from "../errors";

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

// Second-level public suffixes under which a registrable domain has three labels. Not the whole
// public suffix list: enough to tell the common bare domains apart; a miss only changes advice.
const twoLabelSuffixes = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.nz",
  "co.jp",
  "co.za",
  "com.br",
  "com.mx",
  "com.ar",
  "com.tr",
  "com.cn",
  "co.in",
  "co.il",
  "co.kr",
  "com.sg",
  "com.hk",
]);

function refuse(message: string): never {
  throw new AppError("invalid_input", message);
}

/** The stored form of a custom domain, or an invalid_input error saying why not. */
export function normalizeDomain(input: string): string {
  const typed = input.trim().toLowerCase().replace(/\.$/, "");
  if (typed === "") refuse("Type a domain name, e.g. www.example.com");
  if (/[/:@?#\s]/.test(typed)) {
    refuse(
      `"${input.trim()}" is not a host name: type the name only, e.g. www.example.com (no scheme, port or path)`,
    );
  }
  if (typed.includes("*")) refuse("Wildcard domains are not supported: add each name on its own");
  if (isIP(typed) !== 0) refuse("An IP address is not a domain: type the name that points at it");
  // domainToASCII answers "" for what cannot be a host name, punycode for IDNs (ü -> xn--).
  const ascii = domainToASCII(typed);
  if (ascii === "")
    refuse(`"${input.trim()}" is not a valid domain name (nor a valid internationalized one)`);
  const labels = ascii.split(".");
  if (labels.length < 2) refuse(`"${ascii}" has no top-level domain: type a full name, e.g. www.example.com`);
  if (ascii.length > 253 || !labels.every((l) => label.test(l))) {
    refuse(
      `"${ascii}" is not a valid domain name: labels of letters, digits and inner hyphens, 63 characters at most`,
    );
  }
  if (/^\d+$/.test(labels.at(-1) ?? "")) refuse(`"${ascii}" ends with a number: not a domain name`);
  const base = config().BASE_DOMAIN.toLowerCase();
  if (ascii === base || ascii.endsWith(`.${base}`)) {
    refuse(`${ascii} is one of Gantry's own build addresses (under ${base}); add a domain of your own`);
  }
  return ascii;
}

/** A bare (apex) domain: example.com or example.co.uk, where DNS allows no CNAME record. */
export function isApex(name: string): boolean {
  const labels = name.split(".");
  if (labels.length === 2) return true;
  return labels.length === 3 && twoLabelSuffixes.has(labels.slice(1).join("."));
}

/** The name in Unicode, for display (xn--bcher-kva.example -> bücher.example). */
export function displayName(name: string): string {
  return domainToUnicode(name) || name;
}
