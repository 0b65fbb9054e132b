/**
 * A feature vector as parallel (index, value) arrays; an index may repeat when two features
 * hash to the same slot (their values then add up). Growable, so one buffer serves every call.
 */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
  length: number;
}

export function createSparseVector(capacity = 64): SparseVector {
  return { indices: new Int32Array(capacity), values: new Float64Array(capacity), length: 0 };
}

/** Makes room for `capacity` entries, keeping none (the caller refills the vector). */
export function reserveSparseVector(v: SparseVector, capacity: number): void {
  if (v.indices.length >= capacity) return;
  const size = Math.max(capacity, v.indices.length * 2);
  v.indices = new Int32Array(size);
  v.values = new Float64Array(size);
  v.length = 0;
}

/** Sparse view of a dense vector (its non-zero entries). */
export function sparseFromDense(dense: ArrayLike<number>): SparseVector {
  const v = createSparseVector(Math.max(1, dense.length));
  for (let i = 0; i < dense.length; i++) {
    const x = dense[i]!;
    if (x === 0) continue;
    v.indices[v.length] = i;
    v.values[v.length++] = x;
  }
  return v;
}

/** x · w for a dense w. */
export function sparseDot(x: SparseVector, w: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x.values[k]! * w[x.indices[k]!]!;
  return s;
}
