// The project's own migration scripts, `upgrade/pre.py` (before the new series updates every
// module) and `upgrade/post.py` (after): each defines `migrate(cr, version)` like a module's
// migration script. They run in the target image with its python3 and psycopg2, connected
// to the database being upgraded; `cr` is a psycopg2 cursor, `version` the installed
// version of `base` before the upgrade (e.g. `16.0.1.3`). One transaction: committed when
// migrate returns, rolled back when it raises (the attempt then fails). Output is written
// in Odoo's log format so the same log rules judge it.
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerRuntime, ContainerSpec } from "@gantry/runtime";
import { reach, workNetwork } from "../shared/network";
import { runToLogFile } from "../shared/odoo-run";

export type ProjectScript = "pre" | "post";

export const projectScriptPath: Record<ProjectScript, string> = {
  pre: "upgrade/pre.py",
  post: "upgrade/post.py",
};

const RUNNER = `
import importlib.util, logging, os, sys, traceback
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s " + os.environ["PGDATABASE"] + " %(name)s: %(message)s")
log = logging.getLogger("gantry.upgrade")
path, relpath, version = sys.argv[1], sys.argv[2], sys.argv[3]
import psycopg2
spec = importlib.util.spec_from_file_location("gantry_upgrade_script", path)
module = importlib.util.module_from_spec(spec)
try:
    spec.loader.exec_module(module)
except Exception:
    log.error("%s could not be loaded\\n%s", relpath, traceback.format_exc())
    sys.exit(2)
migrate = getattr(module, "migrate", None)
if not callable(migrate):
    log.error("%s defines no migrate(cr, version) function", relpath)
    sys.exit(2)
connection = psycopg2.connect("")
log.info("running %s (version %s)", relpath, version)
try:
    with connection.cursor() as cr:
        migrate(cr, version)
    connection.commit()
except Exception:
    connection.rollback()
    log.error("%s failed, its changes were rolled back\\n%s", relpath, traceback.format_exc())
    sys.exit(1)
finally:
    connection.close()
log.info("%s done", relpath)
`;

export async function hasProjectScript(codeDir: string, which: ProjectScript): Promise<boolean> {
  return access(join(codeDir, projectScriptPath[which])).then(
    () => true,
    () => false,
  );
}

export interface ScriptRun {
  runtime: ContainerRuntime;
  which: ProjectScript;
  image: string;
  /** Host folder of the repository, mounted read-only at /mnt/extra-addons. */
  codeDir: string;
  connection: { host: string; port: number; user: string; password: string; database: string };
  version: string;
  containerName: string;
  owner: { project?: string; branch?: string };
  logFile: string;
  signal: AbortSignal;
}

/** Runs one project script; resolves with its exit code (0 when it committed). */
export async function runProjectScript(run: ScriptRun): Promise<number> {
  const relpath = projectScriptPath[run.which];
  const network = await workNetwork(run.runtime, run.owner);
  const connection = reach(network, run.connection);
  const spec: ContainerSpec = {
    name: run.containerName,
    image: run.image,
    entrypoint: ["python3", "-c", RUNNER],
    cmd: [`/mnt/extra-addons/${relpath}`, relpath, run.version],
    env: {
      PGHOST: connection.host,
      PGPORT: String(connection.port),
      PGUSER: connection.user,
      PGPASSWORD: connection.password,
      PGDATABASE: connection.database,
      PYTHONDONTWRITEBYTECODE: "1",
    },
    owner: run.owner,
    labels: { "gantry.role": `upgrade-${run.which}` },
    networkMode: network.networkMode,
    mounts: [{ type: "bind", source: run.codeDir, target: "/mnt/extra-addons", readOnly: true }],
  };
  return runToLogFile(run.runtime, spec, run.logFile, run.signal);
}
