/** DTypePolicy: the compute and variable dtypes of a layer (Keras's `keras.DTypePolicy`). */
import { floatx } from "../backend/config.js";
import { standardizeDtype, type DType } from "../backend/dtypes.js";
import { isSerializedObject } from "../saving/serialized.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** A layer's dtype policy: `"float32"`, `"mixed_float16"`, ... */
export class DTypePolicy {
  /** The policy name, as Keras writes it. */
  readonly name: string;

  constructor(name?: string | null) {
    this.name = name ?? floatx();
    const parts = this.name.startsWith("mixed_") ? [this.name.slice(6)] : [this.name];
    standardizeDtype(parts[0]);
  }

  /** The dtype computations run in (tfjs stores float16/bfloat16 as float32). */
  get computeDtype(): DType {
    return standardizeDtype(this.name.startsWith("mixed_") ? this.name.slice(6) : this.name);
  }

  /** The dtype variables are stored in. */
  get variableDtype(): DType {
    return standardizeDtype(this.name.startsWith("mixed_") ? "float32" : this.name);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  /** Keras's serialized form: `{module: "keras", class_name: "DTypePolicy", config: {name}}`. */
  serialize(): Record<string, unknown> {
    return { module: "keras", class_name: "DTypePolicy", config: { name: this.name }, registered_name: null };
  }
}
registerBuiltin("keras", DTypePolicy);

/** Accepts a policy, its name, its serialized form, or nothing (the global default). */
export function getDTypePolicy(x: unknown): DTypePolicy {
  if (x instanceof DTypePolicy) return x;
  if (x == null) return new DTypePolicy(globalPolicyName ?? floatx());
  if (typeof x === "string") return new DTypePolicy(x);
  if (isSerializedObject(x) && typeof x.config === "object" && x.config !== null) {
    return new DTypePolicy((x.config as { name?: string }).name);
  }
  throw new Error(`Cannot interpret dtype policy: ${JSON.stringify(x)}`);
}

let globalPolicyName: string | null = null;

/** Sets the default policy of new layers (`keras.config.setDtypePolicy`). */
export function setDtypePolicy(policy: string | DTypePolicy): void {
  globalPolicyName = typeof policy === "string" ? new DTypePolicy(policy).name : policy.name;
}

/** The default policy of new layers (`keras.config.dtypePolicy`). */
export function dtypePolicy(): DTypePolicy {
  return new DTypePolicy(globalPolicyName ?? floatx());
}
