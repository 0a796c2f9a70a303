/**
 * `vault rotate --all-agents` as a library call: every agent's due rotations, one agent after
 * another, each with the exposures a scan on this host recorded for it. One agent's vault is
 * content its key holders write: its failure (a vault that does not open, a policy that does
 * not hold) is that agent's result and never stops the others' rotations.
 */
import { isVaultError } from "../errors.js";
import type { RotateOptions } from "../vault/types.js";
import type { Vault } from "../vault.js";
import type { RotationOutcome } from "./runner.js";
import { exposureTimes } from "./sightings.js";

/** One agent's part of a rotation run. */
export interface AgentRotation {
  agent: string;
  outcomes: RotationOutcome[];
  /** Why this agent's rotations did not run (its vault did not open, or failed unexpectedly). */
  error?: { code: string; message: string; hint: string };
}

/** Options of {@link rotateAgents}. */
export interface RotateAgentsOptions {
  /** The home whose scan exposures make secrets due now. */
  home: string;
  /** Opens one agent's vault (the caller's store and key source). */
  open: (agent: string) => Promise<Vault>;
  /** What each agent's rotation runs with (exposures are read per agent). */
  rotate?: Omit<RotateOptions, "exposures" | "onProgress">;
  /** Called after each secret of each agent. */
  onProgress?: (agent: string, outcome: RotationOutcome) => void;
  /** Called when an agent's rotations could not run. */
  onAgentFailed?: (failure: AgentRotation & { error: NonNullable<AgentRotation["error"]> }) => void;
}

/**
 * Runs the due rotations of each agent in `agents`, in order.
 * @returns one result per agent; an agent that failed has `error` and no outcomes.
 */
export async function rotateAgents(
  agents: readonly string[],
  options: RotateAgentsOptions,
): Promise<AgentRotation[]> {
  const runs: AgentRotation[] = [];
  for (const agent of agents) runs.push(await rotateOneAgent(agent, options));
  return runs;
}

async function rotateOneAgent(agent: string, options: RotateAgentsOptions): Promise<AgentRotation> {
  let vault: Vault;
  try {
    vault = await options.open(agent);
  } catch (error) {
    return failed(agent, error, options);
  }
  try {
    const outcomes = await vault.rotate({
      ...options.rotate,
      exposures: await exposureTimes(options.home, agent),
      onProgress: (outcome) => options.onProgress?.(agent, outcome),
    });
    return { agent, outcomes };
  } catch (error) {
    return failed(agent, error, options);
  } finally {
    vault.close();
  }
}

function failed(agent: string, error: unknown, options: RotateAgentsOptions): AgentRotation {
  // An unexpected failure is reported by its type only: its message could quote vault content.
  const reason = isVaultError(error)
    ? error.toJSON()
    : {
        code: "INTERNAL",
        message: "its rotation failed unexpectedly.",
        hint: "Run vault rotate --agent AGENT alone to see why.",
      };
  const failure = { agent, outcomes: [], error: reason };
  options.onAgentFailed?.(failure);
  return failure;
}
