// Any origin would do: it only tells a path of this site from an address elsewhere.
const here = "http://gantry.invalid";

function hasControlCharacter(value: string): boolean {
  return [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/**
 * Where to go after signing in: a path of this site, or `fallback`. Browsers read "\" as "/"
 * and ignore tabs and newlines, so "/\evil.com" or "/\t/evil.com" would leave the site; an
 * encoded backslash may be decoded once more on the way. Such paths are refused outright.
 */
export function safeNext(next: string | undefined, fallback = "/projects"): string {
  if (!next?.startsWith("/")) return fallback;
  if (/[\\\s]|%5c|%09|%0a|%0d/i.test(next) || hasControlCharacter(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, here);
  } catch {
    return fallback;
  }
  if (url.origin !== here) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
