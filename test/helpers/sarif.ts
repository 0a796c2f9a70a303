/**
 * SARIF 2.1.0 validation against the OASIS schema (test/vectors/sarif/), for the scan
 * command's outputs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";

let validator: ValidateFunction | undefined;

/** A validator of SARIF 2.1.0 logs (compiled once per test file). */
export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(
    readFileSync(
      join(import.meta.dirname, "../vectors/sarif/sarif-schema-2.1.0-rtm.5.json"),
      "utf8",
    ),
  );
  // The schema is draft-04; ajv 8 reads it as draft-07 once `id` is spelled `$id`.
  schema.$schema = "http://json-schema.org/draft-07/schema#";
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  for (const format of ["uri", "uri-reference", "date-time"]) ajv.addFormat(format, true);
  validator = ajv.compile(schema);
  return validator;
}
