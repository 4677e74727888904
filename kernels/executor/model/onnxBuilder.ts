// A small helper for writing ONNX graphs in code: it collects nodes, initializers and graph
// inputs/outputs and serialises them with onnx-buf. Used for the demo decoder and test models.
import { create, toBinary } from '@bufbuild/protobuf';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';

/** ONNX TensorProto.DataType values used here. */
export const DType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;

/** A dimension: a fixed size or a symbolic name such as 'batch_size'. */
export type Dim = number | string;

/** Attribute values: integers, integer lists, strings, { float } and { tensor }. */
export type AttrValue = number | number[] | string | { float: number } | { tensor: TensorProto };

function attribute(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'string') {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.STRING,
      s: new TextEncoder().encode(value),
    });
  }
  if (Array.isArray(value)) {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.INTS,
      ints: value.map((v) => BigInt(v)),
    });
  }
  if (typeof value === 'number') {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
  }
  if ('float' in value) {
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value.float });
  }
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.TENSOR, t: value.tensor });
}

function valueInfo(name: string, elemType: number, dims: Dim[]): ValueInfoProto {
  const shape = create(TensorShapeProtoSchema, {
    dim: dims.map((d) =>
      create(TensorShapeProto_DimensionSchema, {
        value:
          typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
      }),
    ),
  });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType, shape }) },
    }),
  });
}

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DType.FLOAT, rawData: bytes });
}

export function int64Tensor(name: string, dims: number[], data: number[]): TensorProto {
  const bytes = new Uint8Array(data.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setBigInt64(i * 8, BigInt(data[i] ?? 0), true);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DType.INT64, rawData: bytes });
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private counter = 0;

  input(name: string, elemType: number, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  initializer(tensor: TensorProto): string {
    this.initializers.push(tensor);
    return tensor.name;
  }

  constFloat(name: string, dims: number[], values: number[]): string {
    return this.initializer(floatTensor(name, dims, Float32Array.from(values)));
  }

  constInt64(name: string, dims: number[], values: number[]): string {
    return this.initializer(int64Tensor(name, dims, values));
  }

  /** Adds a node; returns its output names (fresh names unless `outputs` is given). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs?: string[]): string[] {
    const outs = outputs ?? [`${opType.toLowerCase()}_${this.counter++}`];
    this.nodes.push(
      create(NodeProtoSchema, {
        opType,
        name: `${opType}_${this.counter++}`,
        input: inputs,
        output: outs,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outs;
  }

  /** Single-output node. */
  op1(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const [out] = this.op(opType, inputs, attrs, output === undefined ? undefined : [output]);
    if (out === undefined) throw new Error('node without output');
    return out;
  }

  /** Serialised ModelProto (IR 9, default-domain opset 20). */
  toBytes(graphName: string, producer: string): Uint8Array {
    const graph = create(GraphProtoSchema, {
      name: graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = create(ModelProtoSchema, {
      irVersion: 9n,
      producerName: producer,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 20n })],
      graph,
    });
    return toBinary(ModelProtoSchema, model);
  }
}
