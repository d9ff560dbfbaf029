/** The median of the numbers (undefined for none); the middle two are averaged. */
export function median(values) {
  const sorted = values.filter((value) => typeof value === 'number').sort((a, b) => a - b);
  if (!sorted.length) return undefined;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Round to `digits` significant decimals without trailing noise. */
export function round(value, digits = 3) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  return Number(value.toFixed(digits));
}

/** Median of each numeric field over a list of per-page results. */
export function medianOf(samples, fields) {
  const result = {};
  for (const field of fields) result[field] = median(samples.map((sample) => sample[field]));
  return result;
}
