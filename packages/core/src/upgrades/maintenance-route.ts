// While production is upgraded, its host answers with a maintenance page from Caddy itself
// (503 with Retry-After, so browsers and monitors know it is temporary); the build's own route
// is put back with routeBuild once it serves again.
import { replaceBuildRoute } from "../routing/caddy-admin";
import { followBuild } from "../routing/domain-route";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Upgrade in progress</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.5rem}</style></head>
<body><main><h1>Upgrade in progress</h1>
<p>This database is being upgraded to a new version of Odoo. It will be back in a few minutes.</p>
</main></body></html>`;

export async function routeBuildToMaintenance(buildId: string, host: string): Promise<void> {
  await replaceBuildRoute(buildId, {
    match: [{ host: [host] }],
    handle: [
      {
        handler: "static_response",
        status_code: 503,
        headers: { "Content-Type": ["text/html; charset=utf-8"], "Retry-After": ["300"] },
        body: PAGE,
      },
    ],
    terminal: true,
  });
  await followBuild(buildId);
}
