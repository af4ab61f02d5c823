/** keras.layers: the rnn layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
import { callable } from "../../utils/callable.js";
import { Bidirectional as BidirectionalClass } from "./bidirectional.js";
import { ConvLSTM1D as ConvLSTM1DClass } from "./conv-lstm1d.js";
import { ConvLSTM2D as ConvLSTM2DClass } from "./conv-lstm2d.js";
import { ConvLSTM3D as ConvLSTM3DClass } from "./conv-lstm3d.js";
import { GRU as GRUClass } from "./gru.js";
import { GRUCell as GRUCellClass } from "./gru-cell.js";
import { LSTM as LSTMClass } from "./lstm.js";
import { LSTMCell as LSTMCellClass } from "./lstm-cell.js";
import { RNN as RNNClass } from "./rnn.js";
import { SimpleRNN as SimpleRNNClass } from "./simple-rnn.js";
import { SimpleRNNCell as SimpleRNNCellClass } from "./simple-rnn-cell.js";
import { StackedRNNCells as StackedRNNCellsClass } from "./stacked-rnn-cells.js";
import { TimeDistributed as TimeDistributedClass } from "./time-distributed.js";
// Masking lives in core/ (as in Keras) but belongs with the recurrent layers it feeds.
import { Masking as MaskingClass } from "../core/masking.js";

export const Bidirectional = callable(BidirectionalClass); export type Bidirectional = BidirectionalClass;
export const ConvLSTM1D = callable(ConvLSTM1DClass); export type ConvLSTM1D = ConvLSTM1DClass;
export const ConvLSTM2D = callable(ConvLSTM2DClass); export type ConvLSTM2D = ConvLSTM2DClass;
export const ConvLSTM3D = callable(ConvLSTM3DClass); export type ConvLSTM3D = ConvLSTM3DClass;
export const GRU = callable(GRUClass); export type GRU = GRUClass;
export const GRUCell = callable(GRUCellClass); export type GRUCell = GRUCellClass;
export const LSTM = callable(LSTMClass); export type LSTM = LSTMClass;
export const LSTMCell = callable(LSTMCellClass); export type LSTMCell = LSTMCellClass;
export const Masking = callable(MaskingClass); export type Masking = MaskingClass;
export const RNN = callable(RNNClass); export type RNN = RNNClass;
export const SimpleRNN = callable(SimpleRNNClass); export type SimpleRNN = SimpleRNNClass;
export const SimpleRNNCell = callable(SimpleRNNCellClass); export type SimpleRNNCell = SimpleRNNCellClass;
export const StackedRNNCells = callable(StackedRNNCellsClass); export type StackedRNNCells = StackedRNNCellsClass;
export const TimeDistributed = callable(TimeDistributedClass); export type TimeDistributed = TimeDistributedClass;

export type { BidirectionalArgs, MergeMode } from "./bidirectional.js";
export type { ConvLSTMArgs } from "./conv-lstm.js";
export type { ConvLSTMCellArgs } from "./conv-lstm-cell.js";
export type { ConvLSTM1DArgs } from "./conv-lstm1d.js";
export type { ConvLSTM2DArgs } from "./conv-lstm2d.js";
export type { ConvLSTM3DArgs } from "./conv-lstm3d.js";
export type { GRUArgs } from "./gru.js";
export type { GRUCellArgs } from "./gru-cell.js";
export type { LSTMArgs } from "./lstm.js";
export type { LSTMCellArgs } from "./lstm-cell.js";
export type { MaskingArgs } from "../core/masking.js";
export type { FusedRNNCell, RNNArgs, RNNCallArgs, RNNCellCallArgs, RNNCellLike, SequenceStepper, StateSize } from "./rnn.js";
export type { SimpleRNNArgs } from "./simple-rnn.js";
export type { SimpleRNNCellArgs } from "./simple-rnn-cell.js";
export type { StackedRNNCellsArgs } from "./stacked-rnn-cells.js";
export type { TimeDistributedArgs } from "./time-distributed.js";
