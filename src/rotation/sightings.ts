/**
 * When a scan on this host last saw each of an agent's secrets outside the vault (in a file or
 * in a commit of a repository's history), from the exposures the scanner records in the agent's
 * folder under the home, whatever the store. A secret seen after its last rotation is due now
 * (`RotateOptions.exposures`), and `vault status` says where it was seen.
 */
import { join } from "node:path";
import { readExposures } from "../scan/exposures.js";

/** The latest sighting of a secret: when, and the commit for one in a repository's history. */
export interface Sighting {
  time: Date;
  commit?: string;
}

/** The latest sighting of each secret of `agent` that a scan on this host recorded. */
export async function latestSightings(home: string, agent: string): Promise<Map<string, Sighting>> {
  const sightings = new Map<string, Sighting>();
  for (const sighting of await readExposures(join(home, "agents", agent))) {
    const time = new Date(sighting.time);
    const known = sightings.get(sighting.name);
    if (!Number.isNaN(time.getTime()) && (!known || time > known.time)) {
      sightings.set(sighting.name, {
        time,
        ...(sighting.commit ? { commit: sighting.commit } : {}),
      });
    }
  }
  return sightings;
}

/** When each secret was last seen: what `vault.rotate` and `rotationStatus` take as exposures. */
export function sightingTimes(sightings: ReadonlyMap<string, Sighting>): Map<string, Date> {
  return new Map([...sightings].map(([name, sighting]) => [name, sighting.time]));
}

/** When each secret of `agent` was last seen outside the vault: what `vault.rotate` takes. */
export async function exposureTimes(home: string, agent: string): Promise<Map<string, Date>> {
  return sightingTimes(await latestSightings(home, agent));
}
