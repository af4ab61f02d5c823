/** The shape of a serialized Keras object, as it appears in config.json. */
export interface SerializedObject {
  module?: string | null;
  class_name: string;
  config: Record<string, unknown> | string | null;
  registered_name?: string | null;
  build_config?: Record<string, unknown> | null;
  compile_config?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** True for a `{class_name, config}` object. */
export function isSerializedObject(x: unknown): x is SerializedObject {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as SerializedObject).class_name === "string" && "config" in x;
}
