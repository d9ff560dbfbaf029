/** The headers of `headers` whose names are not in `present` (lower-case names). */
export function headersMissing(
  headers: Array<[string, string]>,
  present: string[],
): Array<[string, string]> {
  return headers.filter(([name]) => !present.includes(name.toLowerCase()));
}
