/**
 * The audit log: append-only JSON lines, one per operation, never a value.
 *
 * Hash chain: each record holds `prev`, the BLAKE2b hash of the previous line. Records written
 * with the vault unlocked also hold `mac`, a BLAKE2b MAC under a subkey of the vault's data
 * key, so the chain cannot be recomputed without the key. A failed unlock cannot be keyed (no
 * key): it is chained by `prev` only, and the next keyed record seals it. A keyed head file
 * (seq and hash of the last keyed record) catches truncation.
 */

import { bytesEqual, encodeFields, fromHex, hash, mac, toHex } from "./crypto/sodium.js";
import { canonicalJson, parseJsonQuietly } from "./file-format/canonical-json.js";
import type { VaultStore } from "./store/store.js";
import { fits, integer, openObject, optional, str } from "./validation/schema.js";

/** What a record says happened. */
export type AuditResult = "ok" | "error" | "denied";

/** One audit record as stored. */
export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  agent: string;
  op: string;
  secret?: string;
  /** Extra non-secret facts (a version number, a key slot label, a count). */
  detail?: string;
  result: AuditResult;
  /** The error code when `result` is not ok. */
  code?: string;
  /** `agent`: a running `vault agent` served the operation with the keys it holds. */
  via?: string;
  prev: string;
  mac?: string;
}

/** What a caller gives to append. */
export interface AuditEntry {
  op: string;
  secret?: string;
  detail?: string;
  result: AuditResult;
  code?: string;
}

/** Outcome of {@link verifyAudit}. */
export interface AuditVerification {
  ok: boolean;
  records: number;
  keyedRecords: number;
  /** What is wrong, by line number (1-based); never record contents. */
  problems: string[];
}

const encoder = new TextEncoder();

function genesis(agent: string): string {
  return toHex(hash(encodeFields(["agent-vault audit genesis", agent])));
}

function hashLine(line: string): string {
  return toHex(hash(encoder.encode(line)));
}

function recordMac(key: Uint8Array, record: Omit<AuditRecord, "mac">): string {
  return toHex(mac(key, encoder.encode(canonicalJson(record))));
}

function headMac(key: Uint8Array, agent: string, seq: number, lineHash: string): string {
  return toHex(mac(key, encodeFields(["agent-vault audit head", agent, seq, lineHash])));
}

/**
 * A record's shape: every field typed, other keys accepted (a later version may add some; a
 * record's MAC and canonical form are what `verify` holds it to).
 */
const auditRecordSchema = openObject({
  actor: str(),
  agent: str(),
  code: optional(str()),
  detail: optional(str()),
  mac: optional(str()),
  op: str(),
  prev: str(),
  result: str(),
  secret: optional(str()),
  seq: integer(0, Number.MAX_SAFE_INTEGER),
  time: str(),
  via: optional(str()),
});

/** The keyed head's shape (its MAC is checked apart). */
const auditHeadSchema = openObject({
  hash: str(),
  mac: str(),
  seq: integer(0, Number.MAX_SAFE_INTEGER),
});

/** A record, only when every field has its type (a broken line must not break appends). */
function parseRecord(line: string): AuditRecord | undefined {
  const parsed = parseJsonQuietly(line);
  return parsed && (fits(auditRecordSchema, parsed.value) as AuditRecord | undefined);
}

function isCanonicalLine(record: AuditRecord, line: string): boolean {
  try {
    return canonicalJson(record) === line;
  } catch {
    return false;
  }
}

/**
 * Appends records in one write. With `auditKey` (vault unlocked) they are keyed and the head
 * moves to the last of them.
 * @throws VaultError IO_ERROR when the records cannot be written (the caller's operation fails).
 */
export async function appendAudit(
  store: VaultStore,
  agent: string,
  entries: AuditEntry | AuditEntry[],
  context: { actor: string; now: () => Date; auditKey?: Uint8Array; via?: string },
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await store.appendAudit(agent, ({ lastLine }) => {
    const last = lastLine === undefined ? undefined : parseRecord(lastLine);
    // After a damaged last line the chain still goes on (and `verify` reports the damage).
    let seq = last ? last.seq + 1 : 0;
    let prev = lastLine === undefined ? genesis(agent) : hashLine(lastLine);
    const time = context.now().toISOString();
    const lines: string[] = [];
    for (const entry of list) {
      const record: Omit<AuditRecord, "mac"> = {
        seq,
        time,
        actor: context.actor,
        agent,
        op: entry.op,
        result: entry.result,
        prev,
      };
      if (entry.secret !== undefined) record.secret = entry.secret;
      if (entry.detail !== undefined) record.detail = entry.detail;
      if (entry.code !== undefined) record.code = entry.code;
      if (context.via !== undefined) record.via = context.via;
      const line = context.auditKey
        ? canonicalJson({ ...record, mac: recordMac(context.auditKey, record) })
        : canonicalJson(record);
      lines.push(line);
      prev = hashLine(line);
      seq += 1;
    }
    if (!context.auditKey) return { lines };
    const head = canonicalJson({
      seq: seq - 1,
      hash: prev,
      mac: headMac(context.auditKey, agent, seq - 1, prev),
    });
    return { lines, head };
  });
}

/** Every record of the log that parses, in order. */
export async function readAudit(store: VaultStore, agent: string): Promise<AuditRecord[]> {
  const { lines } = await store.readAudit(agent);
  return lines.map(parseRecord).filter((record): record is AuditRecord => record !== undefined);
}

/**
 * Checks the whole chain: every line parses, sequence numbers run on, each `prev` is the hash of
 * the line before, every keyed record's MAC holds, and the keyed head names a record that is
 * there. Edited, inserted, removed or truncated records all fail.
 */
export async function verifyAudit(
  store: VaultStore,
  agent: string,
  auditKey: Uint8Array,
): Promise<AuditVerification> {
  const { lines, head } = await store.readAudit(agent);
  const problems: string[] = [];
  let previousLine: string | undefined;
  let keyedRecords = 0;
  const hashes: string[] = [];
  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    const record = parseRecord(line);
    if (!record || !isCanonicalLine(record, line)) {
      problems.push(`${at}: not a well-formed audit record`);
      previousLine = line;
      hashes.push(hashLine(line));
      return;
    }
    if (record.seq !== index)
      problems.push(`${at}: sequence number ${record.seq}, expected ${index}`);
    if (record.agent !== agent) problems.push(`${at}: record of another agent`);
    const expectedPrev = previousLine === undefined ? genesis(agent) : hashLine(previousLine);
    if (record.prev !== expectedPrev) problems.push(`${at}: does not follow the record before it`);
    if (record.mac === undefined && !(record.op === "unlock" && record.result !== "ok")) {
      // Only a failed unlock is written without the key; anything else unkeyed is forged.
      problems.push(`${at}: record without a keyed hash`);
    }
    if (record.mac !== undefined) {
      const { mac: stored, ...rest } = record;
      const expected = fromHex(recordMac(auditKey, rest));
      const actual = fromHex(stored);
      if (!expected || !actual || !bytesEqual(expected, actual)) {
        problems.push(
          `${at}: keyed hash does not match (edited, or written without the vault key)`,
        );
      } else {
        keyedRecords += 1;
      }
    }
    previousLine = line;
    hashes.push(hashLine(line));
  });
  if (head === undefined) {
    // Every vault writes a keyed `init` record and a head when it is created.
    problems.push("audit head is missing (the log was deleted or replaced)");
  } else {
    const parsed = parseJsonQuietly(head);
    const fields = parsed && fits(auditHeadSchema, parsed.value);
    const stored = fields && fromHex(fields.mac);
    if (!fields || !stored) {
      problems.push("audit head is not well-formed");
    } else {
      const { seq, hash: lineHash } = fields;
      const expected = fromHex(headMac(auditKey, agent, seq, lineHash));
      if (!expected || !bytesEqual(expected, stored)) {
        problems.push("audit head's keyed hash does not match");
      } else if (hashes[seq] !== lineHash) {
        problems.push(
          seq >= lines.length
            ? `log is truncated: the head names record ${seq + 1}, the log has ${lines.length}`
            : `record ${seq + 1} is not the one the head names`,
        );
      }
    }
  }
  return { ok: problems.length === 0, records: lines.length, keyedRecords, problems };
}
