// Preloaded with `node --import`: writes this process's peak RSS (MiB) to $BENCH_RSS_FILE at
// exit. VmHWM, not getrusage's maxRSS: that one keeps the parent's size across fork and exec.
import { readFileSync, writeFileSync } from "node:fs";

process.on("exit", () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const status = readFileSync("/proc/self/status", "utf8");
  const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  writeFileSync(process.env.BENCH_RSS_FILE, String(kib / 1024));
});
