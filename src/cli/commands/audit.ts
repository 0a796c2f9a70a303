/**
 * `vault audit [--verify]`.
 */
import { type CommandSpec, emit } from "../command.js";
import { withVault } from "../context.js";

const audit: CommandSpec = {
  name: "audit",
  summary: "the agent's audit log; --verify checks its hash chain (exit 1 when broken)",
  options: [
    ["--verify", "check the keyed hash chain"],
    ["--limit <n>", "show only the last N records"],
  ],
  async run(ctx, _args, options) {
    return withVault(ctx, async (vault) => {
      if (options.verify) {
        const result = await vault.verifyAudit();
        emit(
          ctx,
          { agent: ctx.agent, ...result },
          result.ok
            ? `Audit log of agent ${ctx.agent}: ${result.records} records, chain intact (${result.keyedRecords} keyed).`
            : [
                `Audit log of agent ${ctx.agent} is BROKEN:`,
                ...result.problems.map((p) => `  ${p}`),
              ],
        );
        return result.ok ? 0 : 1;
      }
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      const all = await vault.auditRecords();
      const records = limit && limit > 0 ? all.slice(-limit) : all;
      emit(
        ctx,
        { agent: ctx.agent, records },
        records.map((r) =>
          [
            r.time,
            r.op.padEnd(10),
            (r.secret ?? "").padEnd(24),
            r.result,
            r.code ?? "",
            r.detail ?? "",
            r.actor,
          ]
            .filter((part) => part !== "")
            .join("  "),
        ),
      );
      return 0;
    });
  },
};

/** The audit command. */
export const auditCommands: CommandSpec[] = [audit];
