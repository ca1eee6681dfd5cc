import { AppError } from "./errors";

function tooLarge(maxBytes: number): AppError {
  return new AppError("too_large", `Request body exceeds ${maxBytes} bytes`);
}

/**
 * A request's (or a response's) body, read chunk by chunk and given up as soon as it passes `maxBytes`: a body
 * that declares or turns out to be too large is refused (too_large) before it is held whole in
 * memory, whatever its Content-Length says.
 */
export async function readBodyCapped(
  request: Pick<Request, "headers" | "body">,
  maxBytes: number,
): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
