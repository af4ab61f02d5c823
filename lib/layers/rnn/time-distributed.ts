/**
 * TimeDistributed: applies a layer to every temporal slice of an input
 * (Keras's `layers/rnn/time_distributed.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { flatten, isPlainObject } from "../../utils/tree.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { isShapeLike, singleTensor } from "../layer-utils.js";

/** Options of TimeDistributed. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at each timestep (also the first positional argument), or its serialized config. */
  layer?: Layer | Record<string, unknown>;
}

/** Layers whose output for a sample depends on the rest of the batch: these run one timestep at a time. */
const BATCH_DEPENDENT = new Set(["BatchNormalization"]);

/**
 * Applies a layer to every temporal slice of an input: an input of shape
 * `[batch, timesteps, ...]` gives `[batch, timesteps, ...layerOutput]`, with
 * the same weights at every timestep.
 *
 * The timesteps are folded into the batch and the layer runs once (the same
 * result as Keras's step-by-step loop for every layer whose samples are
 * independent); layers that mix the samples of a batch (BatchNormalization,
 * stateful RNNs) run one timestep at a time, as in Keras.
 *
 * ```ts
 * const td = layers.TimeDistributed(layers.Dense(8));
 * td(tf.ones([32, 10, 16])).shape;   // [32, 10, 8]
 * ```
 */
export class TimeDistributed extends Layer {
  /** The wrapped layer. */
  readonly layer: Layer;

  /** `new TimeDistributed(layers.Dense(8))` or `new TimeDistributed({ layer })`. */
  constructor(layer: Layer | TimeDistributedArgs, args: TimeDistributedArgs = {}) {
    const opts: TimeDistributedArgs = layer instanceof Layer ? { ...args, layer } : { ...layer };
    const { layer: inner, ...layerArgs } = opts;
    const l = isPlainObject(inner) && "class_name" in inner ? deserializeKerasObject(inner) : inner;
    if (!(l instanceof Layer)) {
      throw new Error(`Please initialize \`TimeDistributed\` layer with a \`keras.layers.Layer\` instance. Received: ${String(l)}`);
    }
    super(layerArgs);
    this.layer = l;
    this.supportsMasking = false;
  }

  private childShape(inputShape: unknown): Shape {
    const s = isShapeLike(inputShape) ? inputShape : Array.isArray(inputShape) && isShapeLike(inputShape[0]) ? inputShape[0] : null;
    if (!s || s.length < 3) {
      throw new Error(`\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${JSON.stringify(inputShape)}`);
    }
    return [s[0] as number | null, ...s.slice(2)];
  }

  override build(inputShape: unknown): void {
    if (!this.layer.built) this.layer.maybeBuild(this.childShape(inputShape));
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor | Tensor[] {
    const x = singleTensor(inputs, this.name);
    const mask = flatten<unknown>(kwargs.mask ?? null)[0];
    const m = mask instanceof tf.Tensor ? mask : null;
    if (m) {
      if (m.rank < 2) {
        throw new Error(
          `The \`mask\` passed to the \`TimeDistributed\` layer must be at least 2D (e.g., \`(batch_size, timesteps)\`), but it has ${m.rank} dimension(s) with shape [${m.shape.join(", ")}].`,
        );
      }
      if (m.shape[0] !== x.shape[0] || m.shape[1] !== x.shape[1]) {
        throw new Error(
          `The \`mask\` passed to the \`TimeDistributed\` layer has a shape [${m.shape.join(", ")}] that is incompatible with the input shape [${x.shape.join(", ")}].`,
        );
      }
    }
    const [batch, steps] = x.shape as [number, number];
    const sub: CallArgs = { training: kwargs.training };
    const stateful = (this.layer as unknown as { stateful?: boolean }).stateful === true;
    if (BATCH_DEPENDENT.has(this.layer.className) || stateful) {
      const outs: Tensor[] = [];
      const xs = tf.unstack(x, 1);
      const ms = m && this.layer.supportsMasking ? tf.unstack(m, 1) : null;
      for (let t = 0; t < steps; t++) {
        const r = this.layer.apply(xs[t] as Tensor, ms ? { ...sub, mask: ms[t] } : sub) as unknown;
        if (!(r instanceof tf.Tensor)) throw new Error(`TimeDistributed: the wrapped layer "${this.layer.name}" must return a single tensor.`);
        outs.push(r);
      }
      return tf.stack(outs, 1);
    }
    const folded = tf.reshape(x, [batch * steps, ...x.shape.slice(2)]);
    const callArgs = m && this.layer.supportsMasking ? { ...sub, mask: tf.reshape(m, [batch * steps, ...m.shape.slice(2)]) } : sub;
    const r = this.layer.apply(folded, callArgs) as unknown;
    const unfold = (y: Tensor): Tensor => tf.reshape(y, [batch, steps, ...y.shape.slice(1)]);
    if (r instanceof tf.Tensor) return unfold(r);
    if (Array.isArray(r) && r.every((e) => e instanceof tf.Tensor)) return (r as Tensor[]).map(unfold);
    throw new Error(`TimeDistributed: the wrapped layer "${this.layer.name}" must return a tensor.`);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const child = this.childShape(inputShape);
    const steps = (isShapeLike(inputShape) ? inputShape : (inputShape as Shape[])[0] as Shape)[1] ?? null;
    let out: unknown = this.layer.computeOutputShape(child);
    if (!isShapeLike(out)) {
      const spec = this.layer.computeOutputSpec([new KerasTensor(child)], {});
      out = spec instanceof KerasTensor ? spec.shape : null;
    }
    if (!isShapeLike(out)) throw new Error(`TimeDistributed: cannot compute the output shape of "${this.layer.name}".`);
    return [out[0] ?? null, steps, ...out.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeKerasObject(this.layer) };
  }
}
registerBuiltin("keras.layers", TimeDistributed);
