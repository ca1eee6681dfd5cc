// Git's smart HTTP for the stand-in's git-backed repositories, as github.com serves it at
// https://github.com/<owner>/<repo>.git: git http-backend over the repository's gitDir, with
// HTTP basic credentials whose password is a token the stand-in knows (x-access-token:<token>,
// as installation tokens are used). Fetches and pushes go through; anything else is refused.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename, dirname } from "node:path";
import { repoKey, type StandinState } from "./state";

export const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/(?:info\/refs|git-upload-pack|git-receive-pack))$/;

function tokenOf(req: IncomingMessage): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match) return null;
  const [user, password] = Buffer.from(match[1]!, "base64").toString("utf8").split(":", 2);
  return user && password ? password : null;
}

/** Answers one git request; the caller has matched GIT_PATH on the path. */
export async function serveGit(
  state: StandinState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://standin");
  const [, owner, name, rest] = GIT_PATH.exec(url.pathname) as unknown as [string, string, string, string];
  const token = tokenOf(req);
  if (!token || !state.tokens.has(token)) {
    res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
    res.end("Invalid username or token.\n");
    return;
  }
  const repo = state.repos.get(repoKey(owner, name));
  if (!repo?.gitDir) {
    res.writeHead(404);
    res.end("Repository not found.\n");
    return;
  }
  const backend = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: dirname(repo.gitDir),
      GIT_HTTP_EXPORT_ALL: "1",
      // http-backend enables receive-pack for an authenticated user.
      REMOTE_USER: "x-access-token",
      PATH_INFO: `/${basename(repo.gitDir)}${rest}`,
      REQUEST_METHOD: req.method ?? "GET",
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
  });
  req.pipe(backend.stdin);
  const chunks: Buffer[] = [];
  backend.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    backend.once("error", reject);
    backend.once("close", () => resolve());
  });
  // A CGI answer: headers, a blank line, the body.
  const output = Buffer.concat(chunks);
  const end = output.indexOf("\r\n\r\n");
  const head = output.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of head) {
    const colon = line.indexOf(":");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "status") status = Number.parseInt(value, 10);
    else headers[key] = value;
  }
  res.writeHead(status, headers);
  res.end(output.subarray(end + 4));
}
