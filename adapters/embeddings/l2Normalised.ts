// The vector scaled to unit length, so that cosine similarity is a dot product. Null for a
// vector that has no direction (all zeros) or holds a non-finite number: no model answers that.
export function l2Normalised(vector: ArrayLike<number>): Float32Array | null {
  let squares = 0;
  for (let i = 0; i < vector.length; i++) squares += vector[i]! * vector[i]!;
  const norm = Math.sqrt(squares);
  if (!Number.isFinite(norm) || norm === 0) return null;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}
