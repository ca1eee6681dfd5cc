// Answers for what a caught mail holds. Everything in a mail is the build's (so a tenant's)
// writing: file names are reduced to safe characters for the header, downloads are never
// rendered by the browser, and the HTML part may run nothing and load nothing from elsewhere.

/** Content-Security-Policy of the HTML part: inline styles and data: images only. */
export const MAIL_HTML_POLICY = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; sandbox";

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._ -]/g, "_").slice(0, 150) || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 150))}`;
}

export function download(body: Uint8Array, contentType: string, filename: string): Response {
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": contentType,
      "content-length": String(body.length),
      "content-disposition": attachmentDisposition(filename),
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}

export function sandboxedHtml(html: string): Response {
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": MAIL_HTML_POLICY,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store",
    },
  });
}
