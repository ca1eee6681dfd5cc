// The process's default queue context, as the web's use-cases enqueue on it: emptied and
// closed after a test file, so its Redis prefix leaves nothing behind.
export async function dropDefaultQueue(name: "builds" | "backups" | "maintenance"): Promise<void> {
  const queue = await import("@gantry/queue");
  await queue
    .defaultQueueContext()
    .queue(name)
    .obliterate({ force: true })
    .catch(() => {});
  await queue.closeDefaultQueueContext();
}
