import type { FileHandle } from "node:fs/promises";

/**
 * Reads at most `limit` bytes from an open file, from where it stands (its start for a fresh
 * handle). A pipe, FIFO or device (`/dev/zero`) may never end and fstat cannot tell its size,
 * so the reading itself stops.
 */
export async function readHead(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
