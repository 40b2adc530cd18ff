/**
 * A CSV record (values in header order) as the item object a model receives. The maker is
 * compiled once per header into one object literal (`v => ({"a": v[0], "b": v[1]})`, as
 * d3-dsv does): every item gets the same shape in one allocation, which the profile of the tax
 * run showed to matter (toObject's per-key loop was ~11 % of a worker's time).
 */
export type RecordMaker = (values: string[]) => Record<string, string>;

function loopMaker(fields: string[]): RecordMaker {
  return (values) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) o[fields[i]!] = values[i]!;
    return o;
  };
}

export function recordMaker(fields: string[]): RecordMaker {
  // A literal's "__proto__" key sets the prototype; so does assignment in the loop, but keep
  // such a header on the plain, obviously-equivalent path.
  if (fields.includes('__proto__')) return loopMaker(fields);
  const body = fields.map((f, i) => `${JSON.stringify(f)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${body} };`) as RecordMaker;
}
