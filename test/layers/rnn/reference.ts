/** Plain-JS reference implementations of the recurrent cells, for checking the layers. */

export type Mat = number[][];

export function matmul(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

function addRow(a: Mat, b: number[]): Mat {
  return a.map((r) => r.map((v, j) => v + b[j]));
}

function cols(a: Mat, from: number, to: number): Mat {
  return a.map((r) => r.slice(from, to));
}

/** Runs a step function over `x` ([batch][time][features]) with Keras's masking rules (TF backend). */
export function runRef(
  x: number[][][],
  init: Mat[],
  step: (xt: Mat, states: Mat[]) => [Mat, Mat[]],
  opts: { goBackwards?: boolean; mask?: boolean[][]; zeroOutputForMask?: boolean } = {},
): { last: Mat; seq: Mat[]; states: Mat[] } {
  const T = x[0].length;
  let states = init;
  const seq: Mat[] = [];
  let prev: Mat | null = null;
  for (let k = 0; k < T; k++) {
    const t = opts.goBackwards ? T - 1 - k : k;
    const xt = x.map((b) => b[t]);
    const [out0, next] = step(xt, states);
    let out = out0;
    if (opts.mask) {
      const m = opts.mask.map((row) => row[t]);
      const fill = opts.zeroOutputForMask || prev === null ? out0.map((r) => r.map(() => 0)) : prev;
      out = out0.map((r, b) => (m[b] ? r : fill[b]));
      const old = states;
      states = next.map((s, i) => s.map((r, b) => (m[b] ? r : old[i][b])));
      prev = out;
    } else {
      states = next;
    }
    seq.push(out);
  }
  return { last: seq[seq.length - 1], seq, states };
}

export function lstmStep(kernel: Mat, rk: Mat, bias: number[], units: number): (xt: Mat, s: Mat[]) => [Mat, Mat[]] {
  return (xt, [h, c]) => {
    const z = addRow(
      matmul(xt, kernel).map((r, b) => r.map((v, j) => v + matmul(h, rk)[b][j])),
      bias,
    );
    const i = cols(z, 0, units).map((r) => r.map(sig));
    const f = cols(z, units, 2 * units).map((r) => r.map(sig));
    const g = cols(z, 2 * units, 3 * units).map((r) => r.map(Math.tanh));
    const o = cols(z, 3 * units, 4 * units).map((r) => r.map(sig));
    const c2 = c.map((r, b) => r.map((v, j) => f[b][j] * v + i[b][j] * g[b][j]));
    const h2 = c2.map((r, b) => r.map((v, j) => o[b][j] * Math.tanh(v)));
    return [h2, [h2, c2]];
  };
}

export function gruStep(kernel: Mat, rk: Mat, bias: number[] | Mat, units: number, resetAfter: boolean): (xt: Mat, s: Mat[]) => [Mat, Mat[]] {
  return (xt, [h]) => {
    const bIn = resetAfter ? (bias as Mat)[0] : (bias as number[]);
    const bRec = resetAfter ? (bias as Mat)[1] : new Array<number>(3 * units).fill(0);
    const xp = addRow(matmul(xt, kernel), bIn);
    const u = units;
    const hr = addRow(matmul(h, rk), bRec);
    const z = xp.map((r, b) => r.slice(0, u).map((v, j) => sig(v + hr[b][j])));
    const r = xp.map((row, b) => row.slice(u, 2 * u).map((v, j) => sig(v + hr[b][u + j])));
    let hh: Mat;
    if (resetAfter) {
      hh = xp.map((row, b) => row.slice(2 * u).map((v, j) => Math.tanh(v + r[b][j] * hr[b][2 * u + j])));
    } else {
      const rh = h.map((row, b) => row.map((v, j) => r[b][j] * v));
      const rec = matmul(rh, cols(rk, 2 * u, 3 * u));
      hh = xp.map((row, b) => row.slice(2 * u).map((v, j) => Math.tanh(v + rec[b][j])));
    }
    const h2 = h.map((row, b) => row.map((v, j) => z[b][j] * v + (1 - z[b][j]) * hh[b][j]));
    return [h2, [h2]];
  };
}

export function simpleStep(kernel: Mat, rk: Mat, bias: number[]): (xt: Mat, s: Mat[]) => [Mat, Mat[]] {
  return (xt, [h]) => {
    const a = matmul(xt, kernel);
    const b2 = matmul(h, rk);
    const out = a.map((r, b) => r.map((v, j) => Math.tanh(v + b2[b][j] + bias[j])));
    return [out, [out]];
  };
}

/** A deterministic pseudo-random matrix. */
export function randMat(rows: number, colsN: number, seed: number, scale = 0.5): Mat {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: rows }, () => Array.from({ length: colsN }, () => (rand() * 2 - 1) * scale));
}
