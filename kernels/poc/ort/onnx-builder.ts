// A small helper for writing ONNX graphs with onnx-buf: named initializers, nodes with
// auto-generated output names, and cached scalar constants. Knows nothing about PoC.
import { create, toBinary } from '@bufbuild/protobuf';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';

export const DT = {
  uint8: TensorProto_DataType.UINT8,
  int8: TensorProto_DataType.INT8,
  int32: TensorProto_DataType.INT32,
  uint32: TensorProto_DataType.UINT32,
  int64: TensorProto_DataType.INT64,
  float: TensorProto_DataType.FLOAT,
  double: TensorProto_DataType.DOUBLE,
} as const;
export type DataTypeName = keyof typeof DT;

/** A dimension: a fixed size or a symbolic name such as 'B'. */
export type Dim = number | string;

type AttrValue = number | number[] | string;

function attribute(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'string') {
    return {
      name,
      type: AttributeProto_AttributeType.STRING,
      s: new TextEncoder().encode(value),
    } as AttributeProto;
  }
  return Array.isArray(value)
    ? ({ name, type: AttributeProto_AttributeType.INTS, ints: value.map(BigInt) } as AttributeProto)
    : ({ name, type: AttributeProto_AttributeType.INT, i: BigInt(value) } as AttributeProto);
}

function valueInfo(name: string, type: DataTypeName, dims: Dim[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType: DT[type],
          shape: {
            dim: dims.map((d) =>
              typeof d === 'number'
                ? { value: { case: 'dimValue' as const, value: BigInt(d) } }
                : { value: { case: 'dimParam' as const, value: d } },
            ),
          },
        },
      },
    },
  });
}

function rawBytes(type: DataTypeName, data: ArrayLike<number> | ArrayBufferView): Uint8Array<ArrayBuffer> {
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  switch (type) {
    case 'uint8':
      return Uint8Array.from(data);
    case 'int8':
      return new Uint8Array(Int8Array.from(data).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(data).buffer);
    case 'uint32':
      return new Uint8Array(Uint32Array.from(data).buffer);
    case 'float':
      return new Uint8Array(Float32Array.from(data).buffer);
    case 'double':
      return new Uint8Array(Float64Array.from(data).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(Array.from(data), BigInt).buffer);
  }
}

export class OnnxGraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly scalars = new Map<string, string>();
  private counter = 0;
  private usesMicrosoftDomain = false;

  constructor(private readonly name: string) {}

  input(name: string, type: DataTypeName, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: DataTypeName, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A constant tensor; typed arrays are stored as raw little-endian bytes without a copy. */
  initializer(
    name: string,
    type: DataTypeName,
    dims: number[],
    data: ArrayLike<number> | ArrayBufferView,
  ): string {
    this.initializers.push(
      create(TensorProtoSchema, {
        name,
        dataType: DT[type],
        dims: dims.map(BigInt),
        rawData: rawBytes(type, data),
      }),
    );
    return name;
  }

  /** A scalar constant, shared by every node that uses the same (type, value). */
  scalar(type: DataTypeName, value: number): string {
    const key = `${type}:${value}`;
    let name = this.scalars.get(key);
    if (!name) {
      name = this.initializer(`c_${type}_${value < 0 ? `m${-value}` : value}`, type, [], [value]);
      this.scalars.set(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes). */
  int64s(values: number[]): string {
    const key = `i64s:${values.join(',')}`;
    let name = this.scalars.get(key);
    if (!name) {
      name = this.initializer(`c_i64s_${this.scalars.size}`, 'int64', [values.length], values);
      this.scalars.set(key, name);
    }
    return name;
  }

  /** Adds one node and returns its (single) output name; '' in inputs marks an omitted optional input. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName?: string): string {
    return this.opMulti(opType, inputs, 1, attrs, outputName ? [outputName] : undefined)[0] as string;
  }

  /** Adds one node of onnxruntime's contrib domain (com.microsoft, opset 1). */
  msOp(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    this.usesMicrosoftDomain = true;
    return this.opMulti(opType, inputs, 1, attrs, undefined, 'com.microsoft')[0] as string;
  }

  /** Adds a node with `outputs` outputs (Split) and returns their names. */
  opMulti(
    opType: string,
    inputs: string[],
    outputs: number,
    attrs: Record<string, AttrValue> = {},
    outputNames?: string[],
    domain = '',
  ): string[] {
    const out =
      outputNames ?? Array.from({ length: outputs }, () => `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push(
      create(NodeProtoSchema, {
        opType,
        domain,
        name: `n${this.nodes.length}_${opType}`,
        input: inputs,
        output: out,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return out;
  }

  /** Serialises the model (IR 9, default-domain opset 20, com.microsoft opset 1 where used). */
  toBytes(): Uint8Array {
    const model = create(ModelProtoSchema, {
      irVersion: 9n,
      producerName: 'gonka-ts',
      opsetImport: [
        { domain: '', version: 20n },
        ...(this.usesMicrosoftDomain ? [{ domain: 'com.microsoft', version: 1n }] : []),
      ],
      graph: create(GraphProtoSchema, {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
    return toBinary(ModelProtoSchema, model);
  }
}
