// The build clusters as their administrators, from the URLs the scripts export (with their
// generated passwords): production and staging builds' (BUILD_DATABASE_URL) and development
// builds' (BUILD_DEV_DATABASE_URL). Gantry's own cluster is DATABASE_URL's, never these.
import { config } from "@gantry/config";

export interface ClusterLogin {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

function loginOf(url: string): ClusterLogin {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1) || "postgres",
  };
}

/** Production's and staging's cluster. */
export const PROD_CLUSTER: ClusterLogin = loginOf(config().BUILD_DATABASE_URL);
/** Development builds' cluster. */
export const DEV_CLUSTER: ClusterLogin = loginOf(config().BUILD_DEV_DATABASE_URL);
