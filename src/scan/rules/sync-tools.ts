/**
 * The files backup and file-sync tools keep their logins in, known by their names: rsync's
 * secrets and password files (`user:password` lines, or a client's password alone), the
 * password files of the FUSE mounts of S3 and its kin (s3fs, ossfs, cosfs, obsfs:
 * `[bucket:]ACCESS_KEY:SECRET_KEY`) and s3cmd's `.s3cfg` passphrase for client-side
 * encryption (`gpg_passphrase = …`; its keys are the generic rule's).
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import { isSaltedCiphertext, matchOf } from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";

/** rsync's daemon secrets and client password files (`rsyncd.secrets`, `rsync.pass`). */
const RSYNC_SECRETS_FILE =
  /(?:^|[/\\])[\w.-]{0,30}rsync[\w.-]{0,30}\.(?:secrets?|pass(?:word)?|passwd|pwd|scrt)$/i;

/** A FUSE mount's password file for object storage (`passwd-s3fs`, `.passwd-ossfs`). */
const BUCKET_PASSWORD_FILE = /(?:^|[/\\])\.?passwd-(?:s3fs|ossfs|cosfs|obsfs|goofys)$/i;

/** s3cmd's configuration (`.s3cfg`, `s3cfg`, `s3cmd.cfg`). */
const S3CMD_FILE = /(?:^|[/\\])(?:\.?s3cfg|s3cmd\.cfg)$/i;

/** A line of such a file: its fields split by `:` (no blanks inside), comments left out. */
const FIELD_LINE =
  /^[ \t]{0,16}(?<line>[^\s#:][^\s:]{0,127}(?::[^\s:]{1,200}){0,2})[ \t\r]{0,40}$/dgm;

/** `gpg_passphrase = …` of s3cmd, the rest of the line. */
const S3CMD_PASSPHRASE =
  /^[ \t]{0,16}gpg_passphrase[ \t]{0,8}=[ \t]{0,8}(?<secret>[^\s#][^\n]{0,198}?)[ \t\r]{0,40}$/dgm;

/** The finding of the password `secret` at `start`, as a typed or drawn password reads. */
function passwordAt(start: number, secret: string): RuleMatch[] {
  const found = matchOf(start, start + secret.length, fieldPasswordVerdict(secret));
  return found ? [found] : [];
}

const syncToolPassword: ScanRule = {
  id: "sync-tool-password",
  description:
    "Password in a backup or sync tool's file (rsync secrets, s3fs/ossfs passwd file, s3cmd gpg_passphrase)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "SYNC_PASSWORD",
  scan(text, context) {
    const file = context?.file ?? "";
    const found: RuleMatch[] = [];
    if (S3CMD_FILE.test(file)) {
      S3CMD_PASSPHRASE.lastIndex = 0;
      for (let m = S3CMD_PASSPHRASE.exec(text); m; m = S3CMD_PASSPHRASE.exec(text)) {
        const span = m.indices?.groups?.secret;
        if (span) found.push(...passwordAt(span[0], m.groups?.secret ?? ""));
      }
      return found;
    }
    const rsync = RSYNC_SECRETS_FILE.test(file);
    if (!rsync && !BUCKET_PASSWORD_FILE.test(file)) return [];
    FIELD_LINE.lastIndex = 0;
    for (let m = FIELD_LINE.exec(text); m; m = FIELD_LINE.exec(text)) {
      const line = m.groups?.line ?? "";
      const span = m.indices?.groups?.line;
      if (!span) continue;
      const fields = line.split(":");
      // rsync: `user:password` (the password is all after the first colon), or a client's
      // password file (the password alone, the file's only line); a bucket's file: the secret
      // key last, after its access key (and the bucket).
      if (fields.length === 1 && (!rsync || text.trim() !== line)) continue;
      const secret = rsync
        ? fields.slice(fields.length === 1 ? 0 : 1).join(":")
        : (fields.at(-1) ?? "");
      if (isSaltedCiphertext(secret)) continue;
      found.push(...passwordAt(span[0] + line.length - secret.length, secret));
    }
    return found;
  },
};

export const SYNC_TOOL_RULES: ScanRule[] = [syncToolPassword];
