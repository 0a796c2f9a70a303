/**
 * `vault rotate` (the cron entry point), `vault status`, `vault schedule`, and the policy
 * options `vault set` shares with `vault schedule`.
 */
import { isVaultError, vaultError } from "../../errors.js";
import { checkSecretName } from "../../grammar.js";
import { type AgentRotation, rotateAgents } from "../../rotation/all-agents.js";
import { type HostRotators, placeRotator, readHostRotators } from "../../rotation/host-rotators.js";
import { checkRotationPolicy, type RotationPolicy } from "../../rotation/policy.js";
import { parseRotatorSpec } from "../../rotation/rotator-spec.js";
import type { RotationOutcome } from "../../rotation/runner.js";
import type { RotationStatus } from "../../rotation/schedule.js";
import {
  exposureTimes,
  latestSightings,
  type Sighting,
  sightingTimes,
} from "../../rotation/sightings.js";
import { type CommandSpec, emit, note } from "../command.js";
import {
  type CommandContext,
  environmentWithoutVault,
  openFromContext,
  withVault,
} from "../context.js";

/** Where a secret was seen, for people: a file, or a commit (12 digits) of a history. */
function seenIn(sighting: Sighting | undefined): string {
  return sighting?.commit ? `commit ${sighting.commit.slice(0, 12)}` : "a file";
}

/** The policy options of `vault set` and `vault schedule`. */
export const POLICY_OPTIONS: Array<[string, string]> = [
  ["--rotate <cron>", "rotation schedule, e.g. '0 3 1 * *' (03:00 on the 1st) or @monthly"],
  ["--tz <zone>", "IANA time zone of the schedule (default UTC)"],
  ["--max-age <age>", "rotate when the value is older than this: 90m, 12h, 30d, 8w"],
  [
    "--rotator <spec>",
    "random:<bytes>[:alphabet][:prefix], or a name the rotation host's rotators.json (or agent code) serves",
  ],
  ["--keep <n>", "previous versions that stay valid after a rotation (default 1)"],
  ["--rotator-timeout <seconds>", "time limit of each rotator step (default 60)"],
];

function wholeNumber(value: unknown, flag: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw vaultError("USAGE", `${flag} takes a whole number.`, `e.g. ${flag} 1`);
  }
  return number;
}

/**
 * The policy the options describe, merged over `base`; undefined when no policy option was
 * given. Checked here, before any value is read.
 * @throws VaultError INVALID_INPUT | USAGE
 */
export function policyFromOptions(
  options: Record<string, unknown>,
  base?: RotationPolicy,
): RotationPolicy | undefined {
  const given = ["rotate", "tz", "maxAge", "rotator", "keep", "rotatorTimeout"].some(
    (key) => options[key] !== undefined,
  );
  if (!given) return undefined;
  const policy: RotationPolicy = { ...base };
  if (options.rotate !== undefined) policy.schedule = String(options.rotate);
  if (options.tz !== undefined) policy.timezone = String(options.tz);
  if (options.maxAge !== undefined) policy.maxAge = String(options.maxAge);
  if (options.rotator !== undefined) policy.rotator = String(options.rotator);
  if (options.keep !== undefined) policy.keep = wholeNumber(options.keep, "--keep");
  if (options.rotatorTimeout !== undefined) {
    policy.timeoutSeconds = wholeNumber(options.rotatorTimeout, "--rotator-timeout");
  }
  checkRotationPolicy(policy);
  return policy;
}

/**
 * Why the rotator of `policy` would not run on this host, if it would not: a name that this
 * home's rotators.json does not map (agent code may still register it), or a `command:` spec
 * that no entry allows. Shown when a policy is set and by `vault status`.
 */
export function rotatorWarning(
  agent: string,
  policy: RotationPolicy | undefined,
  hostRotators: HostRotators,
): string | undefined {
  if (!policy?.rotator) return undefined;
  const place = placeRotator(parseRotatorSpec(policy.rotator), {
    agent,
    host: hostRotators,
    registered: new Set(),
  });
  return place.place === "nowhere" ? place.reason : undefined;
}

/** The host's rotators, or a note saying why they cannot be read (for warnings only). */
function hostRotatorsForNotes(ctx: CommandContext): HostRotators {
  try {
    return readHostRotators(ctx.home);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    note(ctx, `warning: ${error.message} ${error.hint}`);
    return new Map();
  }
}

/** Warns on stderr when the rotator just set would not run on this host. */
export function warnAboutRotator(ctx: CommandContext, policy: RotationPolicy | undefined): void {
  const hostRotators = policy?.rotator ? hostRotatorsForNotes(ctx) : new Map();
  const warning = rotatorWarning(ctx.agent, policy, hostRotators);
  if (warning) note(ctx, `note: on this host, ${warning}`);
}

function describeSchedule(policy: RotationPolicy): string {
  const parts: string[] = [];
  if (policy.schedule)
    parts.push(`'${policy.schedule}'${policy.timezone !== "UTC" ? ` ${policy.timezone}` : ""}`);
  if (policy.maxAge !== undefined) parts.push(`max age ${policy.maxAge}`);
  parts.push(policy.rotator ? `rotator ${policy.rotator.split(" ")[0]}` : "manual");
  return parts.join(", ");
}

const schedule: CommandSpec = {
  name: "schedule",
  summary: "set or clear a secret's rotation policy without changing its value",
  args: ["<name>"],
  options: [...POLICY_OPTIONS, ["--clear", "remove the rotation policy"]],
  help: "\nExamples:\n  vault schedule WEBHOOK_TOKEN --rotate @monthly --rotator random:32\n  vault schedule OPENAI_API_KEY --max-age 30d      (a reminder: no rotator)\n",
  async run(ctx, args, options) {
    const name = checkSecretName(args[0] as string);
    const info = await withVault(ctx, async (vault) => {
      if (options.clear) return vault.setRotation(name, null);
      const current = (await vault.list()).find((entry) => entry.name === name);
      const policy = policyFromOptions(options, current?.rotation);
      if (!policy) {
        throw vaultError(
          "USAGE",
          "Give a policy (--rotate, --max-age, --rotator ...) or --clear.",
          "Run `vault schedule --help`.",
        );
      }
      warnAboutRotator(ctx, policy);
      return vault.setRotation(name, policy);
    });
    emit(
      ctx,
      { agent: ctx.agent, ...info },
      info.rotation
        ? `Rotation of ${name}: ${describeSchedule(info.rotation)}.`
        : `${name} has no rotation policy now.`,
    );
    return 0;
  },
};

function outcomeLine(agent: string, outcome: RotationOutcome, many: boolean): string {
  const who = many ? `${agent}/${outcome.name}` : outcome.name;
  switch (outcome.result) {
    case "rotated":
      return `rotated  ${who} → version ${outcome.version}`;
    case "failed":
      return `FAILED   ${who}${outcome.step ? ` at step ${outcome.step}` : ""}: ${outcome.message ?? ""}${outcome.retryAt ? ` (retry after ${outcome.retryAt})` : ""}`;
    case "manual":
      return `manual   ${who} is due: ${outcome.message ?? ""}`;
    case "busy":
      return `busy     ${who}: ${outcome.message ?? ""}`;
    case "backoff":
      return `waiting  ${who}: retry after ${outcome.retryAt}`;
    case "would-rotate":
      return `would rotate  ${who}`;
    default:
      return `not due  ${who}`;
  }
}

function summaryOf(runs: AgentRotation[]) {
  const counts: Record<string, number> = {};
  for (const run of runs) {
    for (const outcome of run.outcomes) counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
  }
  return {
    rotated: counts.rotated ?? 0,
    failed: (counts.failed ?? 0) + runs.filter((run) => run.error).length,
    manual: counts.manual ?? 0,
    busy: counts.busy ?? 0,
    waiting: counts.backoff ?? 0,
    wouldRotate: counts["would-rotate"] ?? 0,
    notDue: counts["not-due"] ?? 0,
  };
}

const rotate: CommandSpec = {
  name: "rotate",
  summary: "run due rotations (the cron entry point); NAME --force rotates one now",
  args: ["[names...]"],
  options: [
    ["--force", "rotate the named secrets now, due or not"],
    ["--dry-run", "show what would rotate; change nothing"],
    ["--all-agents", "every agent in this home"],
    ["--cancel", "abandon the named secrets' rotations in progress (their pending values)"],
  ],
  help: "\nExit status: 0 when every rotation succeeded (or none was due), 1 when any failed.\nNever prompts without a terminal: use the keychain, --key-file or $AGENT_VAULT_KEY in cron.\n\nExamples:\n  vault rotate                          (from cron: every due secret of the agent)\n  vault rotate --all-agents --json\n  vault rotate WEBHOOK_TOKEN --force    (it leaked)\n",
  async run(ctx, args, options) {
    const names = args.length > 0 ? args.map(checkSecretName) : undefined;
    if (options.force && !names) {
      throw vaultError(
        "USAGE",
        "--force needs the secrets to rotate.",
        "vault rotate NAME --force",
      );
    }
    if (options.cancel) {
      if (!names)
        throw vaultError("USAGE", "--cancel needs the secrets.", "vault rotate NAME --cancel");
      const cancelled = await withVault(ctx, async (vault) => {
        const done: string[] = [];
        for (const name of names) if (await vault.cancelRotation(name)) done.push(name);
        return done;
      });
      emit(
        ctx,
        { agent: ctx.agent, cancelled },
        cancelled.length > 0
          ? `Cancelled the rotation of ${cancelled.join(", ")}; CURRENT unchanged.`
          : "No rotation was in progress.",
      );
      return 0;
    }
    // The host's own list of the programs it runs for rotators: a vault only names one.
    const hostRotators = readHostRotators(ctx.home);
    const many = options.allAgents === true;
    if (many && names) {
      throw vaultError(
        "USAGE",
        "--all-agents rotates what is due; it takes no names.",
        "vault rotate --all-agents",
      );
    }
    const rotateOptions = {
      ...(names ? { names } : {}),
      ...(options.force ? { force: true } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      hostRotators,
      // Ours, without the vault's own keys and store credentials (as for vault run).
      env: environmentWithoutVault(ctx),
      onOutput: (name: string, text: string) => note(ctx, `rotator of ${name}: ${text}`),
    };
    const progress = !ctx.json && ctx.io.isTTY;
    const onProgress = (agent: string, outcome: RotationOutcome) => {
      if ((progress || outcome.result === "failed") && outcome.result !== "not-due") {
        note(ctx, outcomeLine(agent, outcome, many));
      }
    };
    const runs: AgentRotation[] = many
      ? await rotateAgents(await ctx.store.listAgents(), {
          home: ctx.home,
          open: (agent) =>
            openFromContext({ ...ctx, agent, vaultOptions: { ...ctx.vaultOptions, agent } }),
          rotate: rotateOptions,
          onProgress,
          onAgentFailed: (failure) =>
            note(ctx, `FAILED   ${failure.agent}: ${failure.error.message}`),
        })
      : [
          {
            agent: ctx.agent,
            outcomes: await withVault(ctx, async (vault) =>
              vault.rotate({
                ...rotateOptions,
                exposures: await exposureTimes(ctx.home, ctx.agent),
                onProgress: (outcome) => onProgress(ctx.agent, outcome),
              }),
            ),
          },
        ];
    const summary = summaryOf(runs);
    const lines = runs.flatMap((run) =>
      run.outcomes
        .filter((outcome) => outcome.result !== "not-due" || names)
        .map((outcome) => outcomeLine(run.agent, outcome, many)),
    );
    const parts = [
      `${summary.rotated} rotated`,
      `${summary.failed} failed`,
      `${summary.manual} due for manual rotation`,
    ];
    if (summary.busy) parts.push(`${summary.busy} busy elsewhere`);
    if (summary.waiting) parts.push(`${summary.waiting} waiting to retry`);
    if (options.dryRun) parts.unshift(`${summary.wouldRotate} would rotate`);
    const scope = many ? `${runs.length} agents` : `agent ${ctx.agent}`;
    emit(ctx, { summary, agents: runs }, [
      ...(ctx.io.isTTY ? [] : lines),
      `vault rotate (${scope}): ${parts.join(", ")}.`,
    ]);
    return summary.failed > 0 ? 1 : 0;
  },
};

/** Vault content shown on a terminal: no control characters (escape sequences). */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

function age(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)}d`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 60)}m`;
}

function statusTable(
  agent: string,
  statuses: RotationStatus[],
  hostRotators: HostRotators,
  sightings: ReadonlyMap<string, Sighting>,
): string[] {
  const rows = statuses.map((status) => [
    status.name,
    status.state.toUpperCase(),
    status.lastRotatedAt.slice(0, 16).replace("T", " "),
    status.dueAt.slice(0, 16).replace("T", " "),
    age(status.ageSeconds),
    describeSchedule(status.policy),
    status.error
      ? `${status.error.step}: ${status.error.message}`
      : status.exposedAt
        ? `exposed in ${seenIn(sightings.get(status.name))}`
        : rotatorWarning(agent, status.policy, hostRotators)
          ? "rotator not served by this host (vault doctor)"
          : "",
  ]);
  const header = ["NAME", "STATE", "LAST ROTATED", "DUE", "AGE", "POLICY", "NOTE"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  return [header, ...rows.map((row) => row.map(printable))].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

function parseGrace(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,6})([mhd])$/.exec(String(value));
  const unit = { m: 60, h: 3600, d: 86_400 }[match?.[2] ?? ""];
  if (!match || !unit)
    throw vaultError("USAGE", "--grace takes a duration: 30m, 12h, 2d.", "e.g. --grace 1d");
  return Number(match[1]) * unit;
}

const status: CommandSpec = {
  name: "status",
  summary:
    "rotation schedules, ages and overdue secrets; --check exits 1 when any is overdue or exposed",
  options: [
    [
      "--check",
      "exit 1 while any secret is overdue, or exposed in a file since its last rotation (a CI gate)",
    ],
    ["--grace <duration>", "how long a due secret may wait before it is overdue (default 1d)"],
  ],
  async run(ctx, _args, options) {
    const graceSeconds = parseGrace(options.grace);
    const sightings = await latestSightings(ctx.home, ctx.agent);
    const exposures = sightingTimes(sightings);
    const { statuses, unscheduled } = await withVault(ctx, async (vault) => {
      const statuses = await vault.rotationStatus(
        graceSeconds === undefined ? { exposures } : { graceSeconds, exposures },
      );
      // Secrets without a policy that a scan found in a file since they were last set.
      const scheduled = new Set(statuses.map((entry) => entry.name));
      const unscheduled =
        exposures.size === 0
          ? []
          : (await vault.list())
              .filter((info) => !scheduled.has(info.name))
              .flatMap((info) => {
                const seen = exposures.get(info.name);
                const commit = sightings.get(info.name)?.commit;
                return seen && seen > new Date(info.updatedAt)
                  ? [
                      {
                        name: info.name,
                        exposedAt: seen.toISOString(),
                        ...(commit ? { commit } : {}),
                      },
                    ]
                  : [];
              });
      return { statuses, unscheduled };
    });
    const counts: Record<string, number> = { ok: 0, due: 0, overdue: 0, failing: 0, manual: 0 };
    for (const entry of statuses) counts[entry.state] = (counts[entry.state] ?? 0) + 1;
    const summary = `${statuses.length} secrets with a rotation policy: ${Object.entries(counts)
      .map(([state, count]) => `${count} ${state}`)
      .join(", ")}.`;
    emit(ctx, { agent: ctx.agent, counts, secrets: statuses, exposed: unscheduled }, [
      ...(statuses.length === 0
        ? [
            `No secret of agent ${ctx.agent} has a rotation policy. Add one: vault schedule NAME --rotate @monthly --rotator random:32`,
          ]
        : [...statusTable(ctx.agent, statuses, hostRotatorsForNotes(ctx), sightings), summary]),
      ...unscheduled.map(
        (entry) =>
          `EXPOSED  ${entry.name}: found in ${seenIn(sightings.get(entry.name))} by vault scan (${entry.exposedAt}); set a new value at its provider and here.`,
      ),
    ]);
    const overdue = statuses
      .filter((entry) => entry.state === "overdue")
      .map((entry) => entry.name);
    // A value found in a file is a leak now, whatever the grace a schedule allows.
    const exposed = [
      ...statuses.filter((entry) => entry.exposedAt).map((entry) => entry.name),
      ...unscheduled.map((entry) => entry.name),
    ];
    if (options.check && overdue.length + exposed.length > 0) {
      if (overdue.length > 0) {
        note(
          ctx,
          `Overdue: ${overdue.join(", ")}. Run \`vault rotate\` (or set new values) and check its cron job.`,
        );
      }
      if (exposed.length > 0) {
        note(
          ctx,
          `Exposed in a file: ${exposed.join(", ")}. Rotate them now (\`vault rotate NAME --force\`, or a new value at the provider and \`vault set\`).`,
        );
      }
      return 1;
    }
    return 0;
  },
};

/** Rotation commands. */
export const rotationCommands: CommandSpec[] = [rotate, status, schedule];

/** Shown by `vault set` when it also set a policy. */
export function policyNote(policy: RotationPolicy | undefined): string | undefined {
  return policy ? `Rotation: ${describeSchedule(policy)}.` : undefined;
}
