import type Docker from "dockerode";
import tar from "tar-fs";
import { buildImageLabels } from "./labels";
import type { BuildImageOptions } from "./types";

interface BuildEvent {
  stream?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Sends a directory to the engine as a tar stream and builds it. The engine reports build
 * failures as events inside a successful HTTP response, so every event is checked.
 */
export async function buildImageFromDir(
  docker: Docker,
  contextDir: string,
  tag: string,
  options: BuildImageOptions = {},
): Promise<void> {
  const context = tar.pack(contextDir);
  const stream = await docker.buildImage(context, {
    t: tag,
    buildargs: options.buildArgs ?? {},
    labels: buildImageLabels(options.owner, options.labels),
    rm: true,
    forcerm: true,
  });
  await new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure !== undefined) reject(new Error(`image build failed: ${failure}`));
        else resolve();
      },
      (event: BuildEvent) => {
        const message = event.error ?? event.errorDetail?.message;
        if (message !== undefined) failure = message.trim();
        const text = message ?? event.stream ?? [event.status, event.progress].filter(Boolean).join(" ");
        for (const line of text.split("\n")) {
          if (line.trim() !== "") options.onProgress?.(line.trimEnd());
        }
      },
    );
  });
}
