// The host firewall scripts/services installs admits build containers only on the shared build
// clusters' ports: a private build cluster's port is let in for the fault's duration, by a rule
// of its own removed afterwards (nothing else of the chain is touched). Without that chain (not
// root, or no firewall installed) there is nothing to open.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const CHAIN = "GANTRY-BUILD-IN";

export async function openBuildPort(port: number): Promise<() => Promise<void>> {
  const rule = [
    "-p",
    "tcp",
    "--dport",
    String(port),
    "-m",
    "comment",
    "--comment",
    "gantry fault",
    "-j",
    "RETURN",
  ];
  const present = await run("iptables", ["-n", "-L", CHAIN]).then(
    () => true,
    () => false,
  );
  if (!present) return async () => {};
  await run("iptables", ["-I", CHAIN, "1", ...rule]);
  return async () => {
    await run("iptables", ["-D", CHAIN, ...rule]).catch(() => {});
  };
}
