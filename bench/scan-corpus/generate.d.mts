/** Types of generate.mjs (the labelled synthetic corpus). */
export interface CorpusSample {
  id: string;
  provider: string;
  context: "markdown" | "dotenv" | "json" | "yaml";
  text: string;
  labels: Array<{ start: number; end: number }>;
}
export interface Provider {
  id: string;
  name: string;
  label: string;
  multiline?: boolean;
}
export const PROVIDERS: Provider[];
/** A GitHub token of `prefix` around `body` and the six characters of its checksum. */
export function withGitHubChecksum(prefix: string, body: string): string;
export function seededRandom(seed: number): () => number;
export function generateCorpus(options?: { seed?: number; perContext?: number }): CorpusSample[];
export function measureRecall(
  samples: CorpusSample[],
  findingsOf: (text: string) => Array<{ start: number; end: number }>,
): { labelled: number; found: number; recall: number; missed: string[] };
