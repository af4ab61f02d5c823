/**
 * Dtypes. Keras names many dtypes; tfjs stores five. Keras names are accepted
 * everywhere and mapped to the tfjs dtype that holds them.
 */
import type { DataType } from "./tfjs.js";

/** The dtypes a tensor can have in tskeras (those tfjs stores). */
export type DType = DataType;

/** Every dtype name Keras accepts, for arguments. */
export type DTypeLike =
  | DType
  | "float16"
  | "bfloat16"
  | "float64"
  | "int8"
  | "int16"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64";

const ALIASES: Record<string, DType> = {
  float16: "float32",
  bfloat16: "float32",
  float32: "float32",
  float64: "float32",
  float: "float32",
  int8: "int32",
  int16: "int32",
  int32: "int32",
  int64: "int32",
  uint8: "int32",
  uint16: "int32",
  uint32: "int32",
  uint64: "int32",
  int: "int32",
  bool: "bool",
  boolean: "bool",
  complex64: "complex64",
  string: "string",
};

/** All dtype names accepted by `standardizeDtype`. */
export const DTYPE_NAMES: readonly string[] = Object.keys(ALIASES);

/** Maps a Keras dtype name to the tfjs dtype that stores it; throws on unknown names. */
export function standardizeDtype(dtype: string | null | undefined, fallback: DType = "float32"): DType {
  if (dtype == null) return fallback;
  const d = ALIASES[String(dtype)];
  if (d === undefined) {
    throw new Error(`Invalid dtype: ${String(dtype)}. Expected one of: ${DTYPE_NAMES.join(", ")}.`);
  }
  return d;
}

/** True for float dtypes. */
export function isFloatDtype(dtype: string): boolean {
  return dtype.startsWith("float") || dtype === "bfloat16";
}

/** True for integer dtypes (signed and unsigned). */
export function isIntDtype(dtype: string): boolean {
  return dtype.startsWith("int") || dtype.startsWith("uint");
}

const ORDER: Record<DType, number> = { bool: 0, int32: 1, float32: 2, complex64: 3, string: 4 };

/** A dtype operand for promotion: a real dtype, or a weakly typed JS number. */
export type PromotionInput = DType | "weak_int" | "weak_float";

/**
 * The dtype of an operation's result, by Keras's promotion lattice restricted to
 * tfjs dtypes: bool < int32 < float32 < complex64, with JS numbers weakly typed
 * (they take the other operand's dtype unless a float meets an int or bool).
 */
export function resultType(...types: PromotionInput[]): DType {
  let strong: DType | undefined;
  let weak: "weak_int" | "weak_float" | undefined;
  for (const t of types) {
    if (t === "weak_int" || t === "weak_float") {
      if (weak !== "weak_float") weak = t;
    } else if (strong === undefined || ORDER[t] > ORDER[strong]) {
      strong = t;
    }
  }
  if (strong === undefined) return weak === "weak_int" ? "int32" : "float32";
  if (weak === "weak_float" && ORDER[strong] < ORDER.float32) return "float32";
  if (weak === "weak_int" && strong === "bool") return "int32";
  return strong;
}
