import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as np from "../../../lib/ops/numpy/elementwise.js";
import { check, checkSymbolic, noLeak } from "./elementwise-test-utils.js";

const f32 = (v: number[] | number[][], shape?: number[]) => tf.tensor(v as number[], shape, "float32");
const i32 = (v: number[] | number[][], shape?: number[]) => tf.tensor(v as number[], shape, "int32");
const b = (v: boolean[]) => tf.tensor(v, undefined, "bool");

describe("arithmetic and promotion", () => {
  it("add broadcasts and promotes", () => {
    check(np.add([[1, 2, 3]], [[10], [20]]), [[11, 12, 13], [21, 22, 23]], "int32", [2, 3]);
    const x = f32([1, 2]);
    check(np.add(x, 1), [2, 3], "float32");
    const xi = i32([1, 2]);
    check(np.add(xi, 1), [2, 3], "int32");
    check(np.add(xi, 1.5), [2.5, 3.5], "float32");
    check(np.add(xi, x), [2, 4], "float32");
    check(np.add(b([true, false]), b([true, false])), [1, 0], "bool");
    tf.dispose([x, xi]);
  });
  it("subtract / multiply", () => {
    check(np.subtract([5, 3], [1, 4]), [4, -1], "int32");
    expect(() => np.subtract(true, false)).toThrow(/boolean/);
    check(np.multiply([[1, 2], [3, 4]], [2, 3]), [[2, 6], [6, 12]], "int32");
    check(np.multiply(b([true, true]), b([true, false])), [1, 0], "bool");
  });
  it("divide gives float, floorDivide and mod keep ints", () => {
    check(np.divide([1, 3], [2, 2]), [0.5, 1.5], "float32");
    check(np.trueDivide(3, 2), 1.5, "float32", []);
    check(np.divideNoNan([1, 2], [0, 4]), [0, 0.5], "float32");
    check(np.floorDivide([7, -7], [2, 2]), [3, -4], "int32");
    check(np.floorDivide([7.5, -7.5], 2), [3, -4], "float32");
    check(np.mod([7, -7, 7], [3, 3, -3]), [1, 2, -2], "int32");
    check(np.fmod([7, -7, 7], [3, 3, -3]), [1, -1, 1], "int32");
    check(np.fmod([5.5, -5.5], 2), [1.5, -1.5], "float32");
  });
  it("power, negative, reciprocal, square, sqrt, cbrt", () => {
    check(np.power([2, 3], [3, 2]), [8, 9], "int32");
    check(np.power([4.0, 9.0], 0.5), [2, 3], "float32");
    check(np.negative([1, -2]), [-1, 2], "int32");
    check(np.reciprocal([2, 4]), [0.5, 0.25], "float32");
    check(np.square([2, -3]), [4, 9], "int32");
    check(np.square(b([true, false])), [1, 0], "int32");
    check(np.sqrt([4, 9]), [2, 3], "float32");
    check(np.cbrt([8, -27]), [2, -3], "float32");
  });
  it("abs family", () => {
    check(np.abs([-1, 2]), [1, 2], "int32");
    check(np.absolute([-1.5, 2]), [1.5, 2], "float32");
    check(np.fabs([-1, 2]), [1, 2], "float32");
  });
});

describe("exp / log", () => {
  it("values and dtypes", () => {
    check(np.exp([0, 1]), [1, Math.E], "float32");
    check(np.exp2([3, -1]), [8, 0.5], "float32");
    check(np.expm1([0, 1]), [0, Math.E - 1], "float32");
    check(np.log([1, Math.E]), [0, 1]);
    check(np.log10([1000, 0.1]), [3, -1]);
    check(np.log1p([0, Math.E - 1]), [0, 1]);
    check(np.log2([8, 0.5]), [3, -1]);
    check(np.logaddexp([0, 1, -Infinity], [0, 2, -Infinity]), [Math.LN2, 2 + Math.log1p(Math.exp(-1)), -Infinity]);
    check(np.logaddexp2([1, 3], [1, 3]), [2, 4]);
  });
});

describe("trigonometry", () => {
  it("values", () => {
    const pi = Math.PI;
    check(np.sin([0, pi / 2]), [0, 1]);
    check(np.cos([0, pi]), [1, -1]);
    check(np.tan([0, pi / 4]), [0, 1]);
    check(np.arcsin([0, 1]), [0, pi / 2]);
    check(np.arccos([1, 0]), [0, pi / 2]);
    check(np.arctan([0, 1]), [0, pi / 4]);
    check(np.arctan2([1, 1, -1], [1, -1, 0]), [pi / 4, (3 * pi) / 4, -pi / 2], "float32");
    check(np.sinh([0, 1]), [0, Math.sinh(1)]);
    check(np.cosh([0, 1]), [1, Math.cosh(1)]);
    check(np.tanh([0, 1]), [0, Math.tanh(1)]);
    check(np.arcsinh([0, 1]), [0, Math.asinh(1)]);
    check(np.arccosh([1, 2]), [0, Math.acosh(2)]);
    check(np.arctanh([0, 0.5]), [0, Math.atanh(0.5)]);
    check(np.deg2rad([180, 90]), [pi, pi / 2], "float32");
    check(np.rad2deg([pi]), [180], "float32", [1], 1e-4);
    check(np.sinc([0, 0.5, 1]), [1, 2 / pi, 0], "float32", [3], 1e-5);
    check(np.hypot([3, 5], [4, 12]), [5, 13], "float32");
    check(np.sin(1), Math.sin(1), "float32", []);
  });
});

describe("rounding and sign", () => {
  it("ceil / floor give float", () => {
    check(np.ceil([1.2, -1.2]), [2, -1], "float32");
    check(np.floor([1.7, -1.2]), [1, -2], "float32");
    check(np.floor([1, 2]), [1, 2], "float32");
  });
  it("round half to even with decimals", () => {
    check(np.round([0.5, 1.5, 2.5, -0.5]), [0, 2, 2, -0]);
    check(np.round([1.26, 2.34], 1), [1.3, 2.3]);
    check(np.round([1234, 1250, 1350], -2), [1200, 1200, 1400], "int32");
    check(np.round([1, 2]), [1, 2], "int32");
    check(np.round([1234.5], -1), [1230], "float32");
  });
  it("trunc, sign, signbit, copysign", () => {
    check(np.trunc([1.7, -1.7]), [1, -1], "float32");
    check(np.trunc([3, -3]), [3, -3], "int32");
    check(np.sign([-2.5, 0, 3, NaN]), [-1, 0, 1, NaN], "float32");
    check(np.sign([-2, 0, 5]), [-1, 0, 1], "int32");
    check(np.signbit(f32([-1, -0, 0, 2])), [true, true, false, false], "bool");
    check(np.signbit([-1, 2]), [true, false], "bool");
    check(np.copysign([1, -2], [-1, 3]), [-1, 2], "float32");
  });
  it("clip keeps the dtype", () => {
    check(np.clip([1, 5, 10], 2, 8), [2, 5, 8], "int32");
    check(np.clip([0.5, 5, 10.5], 1, null), [1, 5, 10.5], "float32");
    check(np.clip(b([true, false]), 0, 0), [0, 0], "int32");
    check(np.clip([[1, 5], [3, 9]], [2, 6], 8), [[2, 6], [3, 8]], "int32");
  });
  it("maximum / minimum / fmax / fmin", () => {
    check(np.maximum([1, 5], [3, 2]), [3, 5], "int32");
    check(np.maximum([1, NaN], [NaN, 2]), [NaN, NaN], "float32");
    check(np.minimum([1, 5], 2), [1, 2], "int32");
    check(np.fmax([1, NaN, NaN], [NaN, 2, NaN]), [1, 2, NaN], "float32");
    check(np.fmin([1, NaN], [NaN, 2]), [1, 2], "float32");
  });
  it("heaviside, ldexp, nextafter", () => {
    check(np.heaviside([-1.5, 0, 2], 0.5), [0, 0.5, 1], "float32");
    check(np.heaviside([-1, 0, 2], [7, 7, 7]), [0, 7, 1], "float32");
    check(np.ldexp([1, 3], [3, -1]), [8, 1.5], "float32");
    expect(() => np.ldexp([1], [1.5])).toThrow(/integer/);
    const x = np.nextafter([1, 1, 0], [2, 0, 1]);
    const v = x.dataSync();
    expect(v[0]).toBe(1 + 2 ** -23);
    expect(v[1]).toBe(1 - 2 ** -24);
    expect(v[2]).toBeGreaterThan(0);
    expect(v[2]).toBeLessThan(1e-44);
    x.dispose();
  });
});

describe("NaN and infinity", () => {
  it("nanToNum", () => {
    check(np.nanToNum([NaN, Infinity, -Infinity, 1]), [0, 3.4028234663852886e38, -3.4028234663852886e38, 1], "float32");
    check(np.nanToNum([NaN, Infinity, -Infinity], { nan: 1, posinf: 2, neginf: -2 }), [1, 2, -2]);
    check(np.nanToNum([1, 2]), [1, 2], "int32");
  });
  it("isnan / isinf / isfinite / isneginf / isposinf / isreal", () => {
    const x = [NaN, Infinity, -Infinity, 1];
    check(np.isnan(x), [1, 0, 0, 0], "bool");
    check(np.isinf(x), [0, 1, 1, 0], "bool");
    check(np.isfinite(x), [0, 0, 0, 1], "bool");
    check(np.isneginf(x), [0, 0, 1, 0], "bool");
    check(np.isposinf(x), [0, 1, 0, 0], "bool");
    check(np.isreal(x), [1, 1, 1, 1], "bool");
    check(np.isnan([1, 2]), [0, 0], "bool");
    check(np.isfinite([1, 2]), [1, 1], "bool");
  });
  it("isclose / allclose", () => {
    check(np.isclose([1, 1e10, NaN, Infinity], [1 + 1e-6, 1.0001e10, NaN, Infinity]), [1, 0, 0, 1], "bool");
    check(np.isclose([NaN], [NaN], { equalNan: true }), [1], "bool");
    check(np.isclose([1, 2], [1.05, 2.5], { atol: 0.1 }), [1, 0], "bool");
    check(np.allclose([1, 2], [1, 2.000001]), 1, "bool", []);
    check(np.allclose([1, 2], [1, 2.1]), 0, "bool", []);
  });
});

describe("comparisons and logic", () => {
  it("comparisons give bool", () => {
    check(np.equal([1, 2, 3], 2), [0, 1, 0], "bool");
    check(np.notEqual([1, 2], [1, 3]), [0, 1], "bool");
    check(np.greater([1, 2, 3], [2, 2, 2]), [0, 0, 1], "bool");
    check(np.greaterEqual([1, 2, 3], 2), [0, 1, 1], "bool");
    check(np.less([1, 2], 1.5), [1, 0], "bool");
    check(np.lessEqual([[1], [2]], [1, 2]), [[1, 1], [0, 1]], "bool", [2, 2]);
  });
  it("logical ops", () => {
    check(np.logicalAnd([1, 0, 2], [1, 1, 0]), [1, 0, 0], "bool");
    check(np.logicalOr([1, 0, 0], [0, 0, 3]), [1, 0, 1], "bool");
    check(np.logicalXor([1, 0, 1], [1, 1, 0]), [0, 1, 1], "bool");
    check(np.logicalNot([0, 2.5]), [1, 0], "bool");
  });
  it("bitwise ops", () => {
    check(np.bitwiseAnd([12, 10], [10, 6]), [8, 2], "int32");
    check(np.bitwiseOr([12, 10], 3), [15, 11], "int32");
    check(np.bitwiseXor([12], [10]), [6], "int32");
    check(np.bitwiseNot([0, 5]), [-1, -6], "int32");
    check(np.bitwiseInvert(b([true, false])), [0, 1], "bool");
    check(np.bitwiseLeftShift([1, 3], [2, 1]), [4, 6], "int32");
    check(np.leftShift([1], 33), [0], "int32");
    check(np.bitwiseRightShift([16, -16], 2), [4, -4], "int32");
    check(np.rightShift([16], [3]), [2], "int32");
    check(np.bitwiseAnd(b([true, true]), b([true, false])), [1, 0], "bool");
    expect(() => np.bitwiseAnd([1.5], [1])).toThrow(/integer/);
  });
  it("gcd / lcm", () => {
    check(np.gcd([12, -18, 0], [8, 12, 5]), [4, 6, 5], "int32");
    check(np.lcm([4, 6, 0], [6, -4, 3]), [12, 12, 0], "int32");
  });
  it("complex parts", () => {
    const c = tf.complex([1, -2], [3, 0]);
    check(np.real(c), [1, -2], "float32");
    check(np.imag(c), [3, 0], "float32");
    const cj = np.conj(c);
    check(np.imag(cj), [-3, 0]);
    cj.dispose();
    check(np.angle(c), [Math.atan2(3, 1), Math.PI]);
    c.dispose();
    check(np.angle([-1, 2]), [Math.PI, 0], "float32");
    check(np.real([1, 2]), [1, 2], "int32");
    check(np.imag([1.5, 2]), [0, 0], "float32");
    check(np.conjugate([1, 2]), [1, 2], "int32");
  });
});

describe("symbolic and memory", () => {
  it("returns KerasTensors for KerasTensor inputs", () => {
    const x = new KerasTensor([null, 3]);
    checkSymbolic(np.add(x, 1), [null, 3], "float32");
    checkSymbolic(np.multiply(new KerasTensor([null, 1]), new KerasTensor([4, 1, 3])), [4, null, 3], "float32");
    checkSymbolic(np.equal(x, 0), [null, 3], "bool");
    checkSymbolic(np.sqrt(new KerasTensor([null, 3], { dtype: "int32" })), [null, 3], "float32");
    checkSymbolic(np.divide(new KerasTensor([2], { dtype: "int32" }), 2), [2], "float32");
    checkSymbolic(np.clip(x, 0, 1), [null, 3], "float32");
    checkSymbolic(np.round(x, 1), [null, 3], "float32");
  });
  it("does not return its argument", () => {
    const x = i32([1, 2]);
    const y = np.trunc(x);
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
  it("leaks no tensors", () => {
    const x = f32([[1.5, -2, NaN], [0, 4, 9]]);
    const xi = i32([[1, -2, 3], [0, 4, 9]]);
    noLeak(() => [
      np.add(x, 1), np.subtract(x, xi), np.multiply(x, 2), np.divide(xi, 2), np.divideNoNan(x, xi), np.floorDivide(xi, 2),
      np.mod(x, 2), np.fmod(xi, 2), np.power(x, 2), np.negative(x), np.reciprocal(x), np.sqrt(x), np.square(xi), np.cbrt(x),
      np.exp(x), np.exp2(x), np.expm1(x), np.log(x), np.log10(x), np.log1p(x), np.log2(x), np.logaddexp(x, xi), np.logaddexp2(x, 1),
      np.sin(x), np.cos(x), np.tan(x), np.arcsin(x), np.arccos(x), np.arctan(x), np.arctan2(x, xi), np.sinh(x), np.cosh(x), np.tanh(x),
      np.arcsinh(x), np.arccosh(x), np.arctanh(x), np.deg2rad(x), np.rad2deg(x), np.ceil(x), np.floor(x), np.round(x, 1), np.round(xi, -1),
      np.trunc(x), np.trunc(xi), np.sign(x), np.signbit(x), np.clip(x, 0, 1), np.maximum(x, xi), np.minimum(x, 0), np.fmax(x, 0), np.fmin(x, 0),
      np.hypot(x, xi), np.heaviside(x, 0.5), np.sinc(x), np.copysign(x, xi), np.nanToNum(x), np.isnan(x), np.isinf(x), np.isfinite(x),
      np.isneginf(x), np.isposinf(x), np.isreal(x), np.equal(x, xi), np.notEqual(x, 1), np.greater(x, 1), np.greaterEqual(x, 1), np.less(x, 1),
      np.lessEqual(x, 1), np.logicalAnd(x, xi), np.logicalOr(x, 0), np.logicalNot(x), np.logicalXor(x, xi), np.bitwiseAnd(xi, 3),
      np.bitwiseOr(xi, 3), np.bitwiseXor(xi, 3), np.bitwiseNot(xi), np.bitwiseInvert(xi), np.bitwiseLeftShift(xi, 1), np.bitwiseRightShift(xi, 1),
      np.leftShift(xi, xi), np.rightShift(xi, 1), np.gcd(xi, 6), np.lcm(xi, 4), np.ldexp(x, xi), np.real(x), np.imag(x), np.conj(x), np.conjugate(xi),
      np.angle(x), np.isclose(x, xi), np.allclose(x, x), np.nextafter(x, 0), np.abs(x), np.absolute(xi), np.fabs(xi), np.trueDivide(x, 3),
    ]);
    tf.dispose([x, xi]);
  });
});
