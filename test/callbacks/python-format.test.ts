import { describe, expect, it } from "vitest";
import { pyStrFormat, PyKeyError, type PyValue } from "../../lib/callbacks/python-format.js";

const i = (v: number): PyValue => ({ int: v });
const f = (v: number): PyValue => ({ float: v });

// Expected strings printed by CPython 3 for the same template.format(**values).
const CASES: [string, Record<string, PyValue>, string][] = [
  ["ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5", { epoch: i(3), val_loss: f(0.34567) }, "ckpt-03-0.35.weights.h5"],
  ["{epoch}-{loss}", { epoch: i(1), loss: f(1.0) }, "1-1.0"],
  ["{loss}", { loss: f(1e-5) }, "1e-05"],
  ["{loss:.3e}", { loss: f(0.000123456) }, "1.235e-04"],
  ["{loss:10.4f}|", { loss: f(-3.14159) }, "   -3.1416|"],
  ["{loss:<10.2f}|", { loss: f(2.5) }, "2.50      |"],
  ["{loss:^11.1f}|", { loss: f(2.25) }, "    2.2    |"],
  ["{loss:*>+9.3f}", { loss: f(1.0005) }, "***+1.000"],
  ["{loss:08.3f}", { loss: f(-1.5) }, "-001.500"],
  ["{epoch:+d} {epoch:x} {epoch:#b} {epoch:,}", { epoch: i(1234567) }, "+1234567 12d687 0b100101101011010000111 1,234,567"],
  ["{loss:g} {loss:.3g} {loss:%} {loss:.1%}", { loss: f(0.000012345) }, "1.2345e-05 1.23e-05 0.001234% 0.0%"],
  ["{loss:.2} {loss:.6}", { loss: f(123.456) }, "1.2e+02 123.456"],
  ["{loss:,.2f}", { loss: f(1234567.891) }, "1,234,567.89"],
  ["{{literal}} {epoch:03}", { epoch: i(7) }, "{literal} 007"],
  ["{name}-{name!r}-{name:>6}", { name: "ab" }, "ab-'ab'-    ab"],
  ["{loss:z.1f}", { loss: f(-0.01) }, "0.0"],
  ["{loss:.0f} {loss:#.0f}", { loss: f(2.5) }, "2 2."],
  ["{loss:E}", { loss: f(12345.678) }, "1.234568E+04"],
  ["{epoch:.2f}", { epoch: i(3) }, "3.00"],
];

describe("pyStrFormat (Python str.format)", () => {
  it.each(CASES)("%s", (template, values, expected) => {
    expect(pyStrFormat(template, values)).toBe(expected);
  });

  it("raises Python's errors", () => {
    expect(() => pyStrFormat("{missing}", {})).toThrow(PyKeyError);
    expect(() => pyStrFormat("{loss:d}", { loss: f(0.5) })).toThrow("Unknown format code 'd' for object of type 'float'");
    expect(() => pyStrFormat("{}", {})).toThrow(/IndexError/);
    expect(() => pyStrFormat("a}b", {})).toThrow(/Single '}'/);
    expect(() => pyStrFormat("{epoch:.2d}", { epoch: i(1) })).toThrow(/Precision not allowed/);
  });
});
