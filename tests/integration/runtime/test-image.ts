import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DockerRuntime } from "@gantry/runtime";

/** A tiny image built from the host's static busybox: nothing can be pulled on test machines. */
export const testImage = "gantry/test-busybox:1";

const busybox = "/bin/busybox";

/** Builds the image once; later runs reuse it. */
export async function ensureTestImage(runtime: DockerRuntime): Promise<string> {
  if (await runtime.imageExists(testImage)) return testImage;
  const dir = await mkdtemp(join(tmpdir(), "gantry-busybox-"));
  try {
    await copyFile(busybox, join(dir, "busybox"));
    await writeFile(
      join(dir, "Dockerfile"),
      [
        "FROM scratch",
        "COPY busybox /bin/busybox",
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        'RUN ["/bin/busybox", "mkdir", "-p", "/tmp", "/root"]',
        'CMD ["/bin/sh"]',
        "",
      ].join("\n"),
    );
    await runtime.buildImage(dir, testImage, { labels: { "gantry.role": "test" } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return testImage;
}
