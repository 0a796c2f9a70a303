/**
 * Exact-duplicate texts among a source's examples: the first occurrence is kept, every later
 * one is recorded in `dropped` with the id of the example it repeats.
 */
export function keepFirstOfEachText(candidates, dropped) {
  const seen = new Map();
  const records = [];
  for (const r of candidates) {
    if (seen.has(r.text)) {
      dropped.push({ where: r.id, why: `exact duplicate text of ${seen.get(r.text)}` });
      continue;
    }
    seen.set(r.text, r.id);
    records.push(r);
  }
  return records;
}
