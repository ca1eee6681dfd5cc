// The small page a sleeping build's address shows while a worker starts it: no dashboard
// chrome, no scripts, a refresh every few seconds of the very URL that was asked for, which
// reaches Odoo once the build has its direct route back.
export const refreshSeconds = 2;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type WakePage =
  | { kind: "starting"; host: string }
  | { kind: "failed"; host: string; reason: string }
  | { kind: "missing"; message: string };

export function wakePageHtml(page: WakePage): string {
  const title =
    page.kind === "starting"
      ? `Starting ${page.host}…`
      : page.kind === "failed"
        ? `${page.host} could not start`
        : "No build here";
  const body =
    page.kind === "starting"
      ? `<p>This build was stopped after a while without visits. It is starting again; its
  database and files are as they were.</p>
  <p class="muted">This page reloads by itself every ${refreshSeconds} seconds and shows the build once it answers.</p>`
      : page.kind === "failed"
        ? `<p>Gantry could not start this build again: ${escapeHtml(page.reason)}</p>
  <p class="muted">Rebuild the branch from Gantry's dashboard to serve it again.</p>`
        : `<p>${escapeHtml(page.message)}</p>`;
  const refresh = page.kind === "starting" ? `<meta http-equiv="refresh" content="${refreshSeconds}">\n` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #0f172a; background: #f8fafc; margin: 0;
         display: grid; place-items: center; min-height: 100vh; }
  main { max-width: 32rem; padding: 2rem; background: #fff; border: 1px solid #e2e8f0;
         border-radius: .75rem; box-shadow: 0 1px 2px rgb(0 0 0 / .05); }
  h1 { font-size: 1.25rem; margin: 0 0 .75rem; display: flex; align-items: center; gap: .6rem; }
  .muted { color: #64748b; font-size: .875rem; }
  .spinner { flex: none; width: 1rem; height: 1rem; border: 2px solid #c7d2fe; border-top-color: #4f46e5;
             border-radius: 50%; animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
</style>
</head>
<body>
<main data-state="${page.kind}">
  <h1>${page.kind === "starting" ? '<span class="spinner" aria-hidden="true"></span>' : ""}${escapeHtml(title)}</h1>
  ${body}
</main>
</body>
</html>
`;
}

/** The path and query Caddy says were asked for; anything but a local path is "/". */
export function originalUriOf(header: string | null): string {
  if (!header?.startsWith("/") || header.startsWith("//") || header.length > 4096) return "/";
  return /^[\x21-\x7e]+$/.test(header) ? header : "/";
}
