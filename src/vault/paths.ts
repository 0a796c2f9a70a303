import { isAbsolute, resolve } from "node:path";

/** `path` made absolute against the working directory. */
export function resolvePath(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
