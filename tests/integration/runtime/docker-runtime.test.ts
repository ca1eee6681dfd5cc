import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import { collectLines, DockerRuntime, InvalidNameError, type LogLine } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../support/wait-for";
import { ensureTestImage } from "./test-image";

const runtime = new DockerRuntime({ host: config().DOCKER_HOST });
// Every container of this file carries this project label, so cleanup is scoped to the run.
const project = `rt-${randomBytes(4).toString("hex")}`;
const name = (suffix: string) => `gantry-test-${project}-${suffix}`;
let image: string;
const unlabelled: string[] = [];

beforeAll(async () => {
  image = await ensureTestImage(runtime);
});

afterAll(async () => {
  await runtime.removeManaged({ project });
  for (const id of unlabelled) await runtime.docker.getContainer(id).remove({ force: true });
});

describe("DockerRuntime against the engine", () => {
  it("pings and reports the engine version", async () => {
    await runtime.ping();
    const version = await runtime.version();
    const direct = await runtime.docker.version();
    expect(version.Version).toBe(direct.Version);
    expect(version.ApiVersion).toMatch(/^\d+\.\d+$/);
  });

  it("builds images with the managed label and knows which exist", async () => {
    expect(await runtime.imageExists(image)).toBe(true);
    expect(await runtime.imageExists("gantry/does-not-exist:0")).toBe(false);
    const info = await runtime.docker.getImage(image).inspect();
    expect(info.Config.Labels).toMatchObject({ "gantry.managed-image": "true" });
    expect(info.Config.Labels?.["gantry.managed"]).toBeUndefined();
  });

  it("reports a failing build with the engine's message", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "gantry-badbuild-"));
    try {
      await writeFile(
        join(dir, "Dockerfile"),
        `FROM ${image}\nRUN ["/bin/sh", "-c", "echo about to fail; exit 3"]\n`,
      );
      const lines: string[] = [];
      await expect(
        runtime.buildImage(dir, `gantry/test-broken:${project}`, { onProgress: (l) => lines.push(l) }),
      ).rejects.toThrow(/image build failed/);
      expect(lines.some((l) => l.includes("about to fail"))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses an invalid name before creating anything", async () => {
    await expect(runtime.createContainer({ name: "bad/name", image })).rejects.toThrow(InvalidNameError);
  });

  it("runs a container: labels, logs by stream, exec, stats, stop, remove", async () => {
    const id = await runtime.createContainer({
      name: name("life"),
      image,
      cmd: ["/bin/sh", "-c", 'echo "out $GREETING"; echo err >&2; exec sleep 300'],
      env: { GREETING: "hello" },
      owner: { project, branch: "main", build: "b1" },
      networkMode: "none",
      memoryBytes: 64 * 1024 * 1024,
      cpus: 0.5,
    });
    await runtime.start(id);
    const state = await runtime.inspect(id);
    expect(state.running).toBe(true);
    expect(state.name).toBe(name("life"));
    expect(state.labels).toMatchObject({
      "gantry.managed": "true",
      "gantry.project": project,
      "gantry.branch": "main",
      "gantry.build": "b1",
    });

    const lines = await waitFor("both log lines", async () => {
      const got = await collectLines(await runtime.logs(id));
      return got.length >= 2 ? got : undefined;
    });
    expect(lines).toContainEqual({ stream: "stdout", line: "out hello" });
    expect(lines).toContainEqual({ stream: "stderr", line: "err" });

    const ok = await runtime.exec(id, ["/bin/sh", "-c", "echo to-out; echo to-err >&2; exit 0"]);
    expect(ok).toEqual({ exitCode: 0, stdout: "to-out", stderr: "to-err" });
    const failed = await runtime.exec(id, ["/bin/sh", "-c", "exit 7"]);
    expect(failed.exitCode).toBe(7);
    const withEnv = await runtime.exec(id, ["/bin/sh", "-c", 'echo "$A" "$(pwd)" "$(id -u)"'], {
      env: { A: "x y" },
      workdir: "/tmp",
      user: "65534",
    });
    expect(withEnv.stdout).toBe("x y /tmp 65534");
    const piped = await runtime.exec(id, ["/bin/sh", "-c", "cat | wc -l"], { stdin: "a\nb\nc\n" });
    expect(piped.stdout.trim()).toBe("3");

    const stats = await runtime.stats(id);
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(stats.cpuPercent).toBeGreaterThanOrEqual(0);

    await runtime.stop(id, 1);
    expect((await runtime.inspect(id)).running).toBe(false);
    await runtime.stop(id, 1); // already stopped: no error
    await runtime.remove(id);
    await expect(runtime.inspect(id)).rejects.toMatchObject({ statusCode: 404 });
    await runtime.remove(id); // already gone: no error
  });

  it("walls in what runs inside: no capabilities, no new privileges, bounded processes", async () => {
    const id = await runtime.createContainer({
      name: name("walls"),
      image,
      cmd: ["sleep", "300"],
      owner: { project, branch: "main", build: "walls" },
      networkMode: "none",
      memoryBytes: 64 * 1024 * 1024,
      pidsLimit: 32,
    });
    await runtime.start(id);
    // Root inside the container, yet without CAP_CHOWN and CAP_MKNOD these are refused.
    const chown = await runtime.exec(id, ["sh", "-c", "touch /tmp/f && chown 1:1 /tmp/f"]);
    expect(chown.exitCode).not.toBe(0);
    expect(chown.stderr).toMatch(/not permitted/i);
    const mknod = await runtime.exec(id, ["mknod", "/tmp/disk", "b", "8", "0"]);
    expect(mknod.exitCode).not.toBe(0);
    const status = await runtime.exec(id, ["sh", "-c", "grep -E '^(CapEff|NoNewPrivs):' /proc/self/status"]);
    expect(status.stdout).toMatch(/CapEff:\s+0+\n/);
    expect(status.stdout).toMatch(/NoNewPrivs:\s+1/);
    // More processes than the limit: the fork fails inside, the host is untouched.
    const forks = await runtime.exec(id, ["sh", "-c", "for i in $(seq 1 64); do sleep 30 & done; wait"]);
    expect(forks.stderr).toMatch(/can't fork|resource temporarily unavailable/i);
    const info = await runtime.docker.getContainer(id).inspect();
    expect(info.HostConfig.PidsLimit).toBe(32);
    expect(info.HostConfig.MemorySwap).toBe(64 * 1024 * 1024);
    await runtime.remove(id, true);
  });

  it("follows logs while the container writes them", async () => {
    const id = await runtime.createContainer({
      name: name("follow"),
      image,
      cmd: ["/bin/sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done"],
      owner: { project },
      networkMode: "none",
    });
    await runtime.start(id);
    const stream = await runtime.logs(id, { follow: true });
    const lines = await collectLines(stream);
    expect(lines.map((l: LogLine) => l.line)).toEqual(["line-1", "line-2", "line-3"]);
    expect(await runtime.wait(id)).toBe(0);
    await runtime.remove(id);
  });

  it("runs one-off commands and returns their exit code and logs", async () => {
    const result = await runtime.run({
      name: name("once"),
      image,
      cmd: ["/bin/sh", "-c", "echo done; exit 4"],
      owner: { project },
      networkMode: "none",
    });
    expect(result.exitCode).toBe(4);
    expect(result.logs).toEqual([{ stream: "stdout", line: "done" }]);
    expect(await runtime.listManaged({ project })).not.toContainEqual(
      expect.objectContaining({ name: name("once") }),
    );
  });

  it("opens an interactive TTY exec", async () => {
    const id = await runtime.createContainer({
      name: name("tty"),
      image,
      cmd: ["sleep", "300"],
      owner: { project },
      networkMode: "none",
    });
    await runtime.start(id);
    const session = await runtime.execInteractive(id, ["/bin/sh"], { env: { PS1: "$ " } });
    await session.resize({ cols: 100, rows: 30 });
    let seen = "";
    session.stream.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
    });
    session.stream.write("stty size; echo marker-$((6*7))\n");
    await waitFor("the shell's answer", async () => (seen.includes("marker-42") ? true : undefined));
    expect(seen).toContain("30 100");
    session.stream.write("exit 5\n");
    expect(await session.exitCode()).toBe(5);
    await runtime.remove(id, true);
  });

  it("lists and removes by label without touching unlabelled containers", async () => {
    const keep = await runtime.docker.createContainer({
      name: name("unlabelled"),
      Image: image,
      Cmd: ["sleep", "300"],
      Labels: { "gantry.project": project }, // claims the project but is not managed
    });
    unlabelled.push(keep.id);
    const a = await runtime.createContainer({
      name: name("a"),
      image,
      cmd: ["sleep", "300"],
      owner: { project, branch: "a" },
    });
    const b = await runtime.createContainer({
      name: name("b"),
      image,
      cmd: ["sleep", "300"],
      owner: { project, branch: "b" },
    });
    await runtime.start(a);

    const all = await runtime.listManaged({ project });
    expect(all.map((c) => c.id).sort()).toEqual([a, b].sort());
    expect((await runtime.listManaged({ project, branch: "a" })).map((c) => c.id)).toEqual([a]);

    expect(await runtime.removeManaged({ project, branch: "a" })).toEqual([a]);
    expect((await runtime.listManaged({ project })).map((c) => c.id)).toEqual([b]);
    expect((await runtime.removeManaged({ project })).sort()).toEqual([b]);
    expect(await runtime.listManaged({ project })).toEqual([]);
    const survivor = await runtime.docker.getContainer(keep.id).inspect();
    expect(survivor.Id).toBe(keep.id);
  });
});
