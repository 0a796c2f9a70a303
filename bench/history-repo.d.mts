/** Where a planted token was first added. */
export interface PlantedToken {
  mark: number;
  path: string;
  line: number;
}

/** A file the scan must skip (its token inside is not reported). */
export interface SkippedPlant {
  mark: number;
  path: string;
  reason: "binary" | "too-large";
}

export interface HistoryRepoOptions {
  commits?: number;
  seed?: number;
  plantEvery?: number;
  scenarios?: boolean;
}

export interface HistoryRepo {
  planted: PlantedToken[];
  skipped: SkippedPlant[];
  tokens: string[];
  commits: number;
  commitOf(mark: number): string | undefined;
}

export function historyStream(options?: HistoryRepoOptions): {
  stream: Buffer;
  planted: PlantedToken[];
  skipped: SkippedPlant[];
  tokens: string[];
  commits: number;
};

export function buildHistoryRepo(dir: string, options?: HistoryRepoOptions): HistoryRepo;
