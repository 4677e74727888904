// /gonka.governance.v1.MsgUpdateLimits: the governance bounds (max messages per proposal, text
// lengths, open proposals) that cosmos.gov.v1 Params has no fields for. A hand-written protobuf
// codec (field numbers below) so it works in a CosmJS Registry like any generated type:
//   message MsgUpdateLimits { string authority = 1; uint64 max_messages = 2;
//     uint64 max_title_length = 3; uint64 max_metadata_length = 4; uint64 max_summary_length = 5;
//     uint64 max_open_proposals = 6; }
//   message MsgUpdateLimitsResponse {}
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

export interface GovLimits {
  maxMessages: bigint;
  maxTitleLength: bigint;
  maxMetadataLength: bigint;
  maxSummaryLength: bigint;
  maxOpenProposals: bigint;
}

export interface MsgUpdateLimits {
  authority: string;
  limits: GovLimits;
}

const FIELDS: (keyof GovLimits)[] = [
  'maxMessages',
  'maxTitleLength',
  'maxMetadataLength',
  'maxSummaryLength',
  'maxOpenProposals',
];

export const MsgUpdateLimits = {
  typeUrl: '/gonka.governance.v1.MsgUpdateLimits',
  encode(m: MsgUpdateLimits, writer: BinaryWriter = BinaryWriter.create()): BinaryWriter {
    if (m.authority !== '') writer.uint32(10).string(m.authority);
    FIELDS.forEach((f, i) => {
      if (m.limits[f] !== 0n) writer.uint32(((i + 2) << 3) | 0).uint64(m.limits[f]);
    });
    return writer;
  },
  decode(input: BinaryReader | Uint8Array, length?: number): MsgUpdateLimits {
    const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
    const end = length === undefined ? reader.len : reader.pos + length;
    const m: MsgUpdateLimits = {
      authority: '',
      limits: {
        maxMessages: 0n,
        maxTitleLength: 0n,
        maxMetadataLength: 0n,
        maxSummaryLength: 0n,
        maxOpenProposals: 0n,
      },
    };
    while (reader.pos < end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      if (field === 1) m.authority = reader.string();
      else if (field >= 2 && field <= 6 && (tag & 7) === 0) m.limits[FIELDS[field - 2]!] = reader.uint64();
      else reader.skipType(tag & 7);
    }
    return m;
  },
  fromPartial(o: Partial<MsgUpdateLimits>): MsgUpdateLimits {
    return {
      authority: o.authority ?? '',
      limits: {
        maxMessages: 0n,
        maxTitleLength: 0n,
        maxMetadataLength: 0n,
        maxSummaryLength: 0n,
        maxOpenProposals: 0n,
        ...o.limits,
      },
    };
  },
};

export type MsgUpdateLimitsResponse = Record<string, never>;

export const MsgUpdateLimitsResponse = {
  typeUrl: '/gonka.governance.v1.MsgUpdateLimitsResponse',
  encode(_m: MsgUpdateLimitsResponse, writer: BinaryWriter = BinaryWriter.create()): BinaryWriter {
    return writer;
  },
  decode(input: BinaryReader | Uint8Array, length?: number): MsgUpdateLimitsResponse {
    const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
    const end = length === undefined ? reader.len : reader.pos + length;
    while (reader.pos < end) reader.skipType(reader.uint32() & 7);
    return {};
  },
  fromPartial(_o: unknown): MsgUpdateLimitsResponse {
    return {};
  },
};
