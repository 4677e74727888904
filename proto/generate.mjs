// Writes our .proto declarations of the standard Cosmos/Tendermint services we serve over gRPC,
// derived from cosmjs-types (the codecs the node itself uses), so field numbers, types and
// packages are exactly cosmjs-types'. They exist for gRPC reflection (grpcurl, explorers): the
// server's (de)serialization uses cosmjs-types directly. Run: `node proto/generate.mjs`.
// Type names are fully qualified with a leading dot (no scope lookup). Field names are cosmjs-types' camelCase turned back into the .proto snake_case; a oneof is
// declared as plain optional fields (the same wire format).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const typesRoot = join(here, '..', 'node_modules', 'cosmjs-types');

/** Services we serve, by cosmjs-types file and service name. */
export const SERVICES = [
  ['cosmos/auth/v1beta1/query', 'cosmos.auth.v1beta1.Query'],
  ['cosmos/bank/v1beta1/query', 'cosmos.bank.v1beta1.Query'],
  ['cosmos/tx/v1beta1/service', 'cosmos.tx.v1beta1.Service'],
  ['cosmos/base/tendermint/v1beta1/query', 'cosmos.base.tendermint.v1beta1.Service'],
  ['cosmos/gov/v1/query', 'cosmos.gov.v1.Query'],
  ['cosmos/gov/v1beta1/query', 'cosmos.gov.v1beta1.Query'],
  ['cosmos/base/node/v1beta1/query', 'cosmos.base.node.v1beta1.Service'],
  ['cosmos/consensus/v1/query', 'cosmos.consensus.v1.Query'],
];

/**
 * The REST (grpc-gateway) binding of each method, as the Cosmos SDK's .proto files declare it in
 * `option (google.api.http)`: cosmjs-types carries no options, so the bindings are written here
 * and rendered into the declarations; app/node/rest derives its routes and /openapi.json from the
 * rendered files. [verb, path template, body] (body "*" = the whole request is the JSON body).
 */
const HTTP = (prefix, rules) =>
  Object.fromEntries(
    Object.entries(rules).map(([m, [verb, path, body]]) => [m, [verb, prefix + path, body]]),
  );
const GOV_QUERIES = (v) =>
  HTTP(`/cosmos/gov/${v}`, {
    Proposal: ['get', '/proposals/{proposal_id}'],
    Proposals: ['get', '/proposals'],
    Vote: ['get', '/proposals/{proposal_id}/votes/{voter}'],
    Votes: ['get', '/proposals/{proposal_id}/votes'],
    Params: ['get', '/params/{params_type}'],
    Deposit: ['get', '/proposals/{proposal_id}/deposits/{depositor}'],
    Deposits: ['get', '/proposals/{proposal_id}/deposits'],
    TallyResult: ['get', '/proposals/{proposal_id}/tally'],
  });
export const HTTP_RULES = {
  'cosmos.auth.v1beta1.Query': HTTP('/cosmos/auth/v1beta1', {
    Accounts: ['get', '/accounts'],
    Account: ['get', '/accounts/{address}'],
    AccountAddressByID: ['get', '/address_by_id/{id}'],
    Params: ['get', '/params'],
    ModuleAccounts: ['get', '/module_accounts'],
    ModuleAccountByName: ['get', '/module_accounts/{name}'],
    Bech32Prefix: ['get', '/bech32'],
    AddressBytesToString: ['get', '/bech32/{address_bytes}'],
    AddressStringToBytes: ['get', '/bech32/{address_string}'],
    AccountInfo: ['get', '/account_info/{address}'],
  }),
  'cosmos.bank.v1beta1.Query': HTTP('/cosmos/bank/v1beta1', {
    Balance: ['get', '/balances/{address}/by_denom'],
    AllBalances: ['get', '/balances/{address}'],
    SpendableBalances: ['get', '/spendable_balances/{address}'],
    SpendableBalanceByDenom: ['get', '/spendable_balances/{address}/by_denom'],
    TotalSupply: ['get', '/supply'],
    SupplyOf: ['get', '/supply/by_denom'],
    Params: ['get', '/params'],
    DenomsMetadata: ['get', '/denoms_metadata'],
    DenomMetadata: ['get', '/denoms_metadata/{denom=**}'],
    DenomMetadataByQueryString: ['get', '/denoms_metadata_by_query_string'],
    DenomOwners: ['get', '/denom_owners/{denom=**}'],
    DenomOwnersByQuery: ['get', '/denom_owners_by_query'],
    SendEnabled: ['get', '/send_enabled'],
  }),
  'cosmos.tx.v1beta1.Service': HTTP('/cosmos/tx/v1beta1', {
    Simulate: ['post', '/simulate', '*'],
    GetTx: ['get', '/txs/{hash}'],
    BroadcastTx: ['post', '/txs', '*'],
    GetTxsEvent: ['get', '/txs'],
    GetBlockWithTxs: ['get', '/txs/block/{height}'],
    TxDecode: ['post', '/decode', '*'],
    TxEncode: ['post', '/encode', '*'],
    TxEncodeAmino: ['post', '/encode/amino', '*'],
    TxDecodeAmino: ['post', '/decode/amino', '*'],
  }),
  'cosmos.base.tendermint.v1beta1.Service': HTTP('/cosmos/base/tendermint/v1beta1', {
    GetNodeInfo: ['get', '/node_info'],
    GetSyncing: ['get', '/syncing'],
    GetLatestBlock: ['get', '/blocks/latest'],
    GetBlockByHeight: ['get', '/blocks/{height}'],
    GetLatestValidatorSet: ['get', '/validatorsets/latest'],
    GetValidatorSetByHeight: ['get', '/validatorsets/{height}'],
    ABCIQuery: ['get', '/abci_query'],
  }),
  'cosmos.gov.v1.Query': { ...GOV_QUERIES('v1'), Constitution: ['get', '/cosmos/gov/v1/constitution'] },
  'cosmos.gov.v1beta1.Query': GOV_QUERIES('v1beta1'),
  'cosmos.base.node.v1beta1.Service': HTTP('/cosmos/base/node/v1beta1', {
    Config: ['get', '/config'],
    Status: ['get', '/status'],
  }),
  'cosmos.consensus.v1.Query': { Params: ['get', '/cosmos/consensus/v1/params'] },
};
/** Types that travel inside Any values in those answers (grpcurl must resolve them). */
const ANY_PAYLOADS = [
  ['cosmos/auth/v1beta1/auth', 'BaseAccount'],
  ['cosmos/auth/v1beta1/auth', 'ModuleAccount'],
  ['cosmos/crypto/secp256k1/keys', 'PubKey'],
  ['cosmos/crypto/ed25519/keys', 'PubKey'],
  ['cosmos/tx/v1beta1/tx', 'Tx'],
  ['cosmos/bank/v1beta1/tx', 'MsgSend'],
  ['cosmos/bank/v1beta1/tx', 'MsgSendResponse'],
  ['cosmos/bank/v1beta1/tx', 'MsgMultiSend'],
  ['cosmos/bank/v1beta1/tx', 'MsgMultiSendResponse'],
  ['cosmos/bank/v1beta1/tx', 'MsgUpdateParams'],
  ['cosmos/bank/v1beta1/tx', 'MsgUpdateParamsResponse'],
  ['cosmos/bank/v1beta1/tx', 'MsgSetSendEnabled'],
  ['cosmos/bank/v1beta1/tx', 'MsgSetSendEnabledResponse'],
  ['cosmos/gov/v1/tx', 'MsgSubmitProposal'],
  ['cosmos/gov/v1/tx', 'MsgVote'],
  ['cosmos/gov/v1/tx', 'MsgVoteWeighted'],
  ['cosmos/gov/v1/tx', 'MsgDeposit'],
  ['cosmos/gov/v1/tx', 'MsgUpdateParams'],
  ['cosmos/gov/v1/tx', 'MsgCancelProposal'],
  ['cosmos/consensus/v1/tx', 'MsgUpdateParams'],
];
const WELL_KNOWN = {
  'google/protobuf/any': ['google.protobuf.Any', 'google/protobuf/any.proto'],
  'google/protobuf/timestamp': ['google.protobuf.Timestamp', 'google/protobuf/timestamp.proto'],
  'google/protobuf/duration': ['google.protobuf.Duration', 'google/protobuf/duration.proto'],
};
const SCALARS = new Set([
  'int64',
  'uint64',
  'int32',
  'uint32',
  'sint32',
  'sint64',
  'bool',
  'string',
  'bytes',
  'double',
  'float',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
]);

const snake = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

const files = new Map(); // cosmjs-types path → parsed file
function load(path) {
  let f = files.get(path);
  if (f) return f;
  const js = readFileSync(join(typesRoot, `${path}.js`), 'utf8');
  const dts = readFileSync(join(typesRoot, `${path}.d.ts`), 'utf8');
  const pkg = /exports\.protobufPackage = "([^"]+)"/.exec(js)[1];
  const imports = new Map();
  for (const m of js.matchAll(/const (\w+) = require\("([^"]+)"\);/g))
    imports.set(m[1], join(dirname(path), m[2]));
  const dtsImports = new Map();
  for (const m of dts.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g))
    for (const n of m[1].split(',')) dtsImports.set(n.trim(), join(dirname(path), m[2]));
  const enums = new Map();
  for (const m of dts.matchAll(/export declare enum (\w+) \{([\s\S]*?)\n\}/g)) {
    enums.set(
      m[1],
      [...m[2].matchAll(/^\s*(\w+) = (-?\d+),?$/gm)]
        .filter((v) => v[1] !== 'UNRECOGNIZED')
        .map((v) => [v[1], v[2]]),
    );
  }
  const interfaces = new Map();
  for (const m of dts.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
    const fields = new Map();
    for (const fm of m[2].matchAll(/^\s{4}(\w+)\??: ([\w.]+)(\[\])?;/gm)) fields.set(fm[1], fm[2]);
    interfaces.set(m[1], fields);
  }
  f = {
    path,
    js,
    pkg,
    imports,
    dtsImports,
    enums,
    interfaces,
    messages: new Map(),
    usedEnums: new Set(),
    deps: new Set(),
  };
  files.set(path, f);
  return f;
}

/** Parses a message's encode() into fields and queues the message types it references. */
function addMessage(path, name, queue) {
  const f = load(path);
  if (f.messages.has(name)) return;
  const m = new RegExp(
    `exports\\.${name} = \\{[\\s\\S]*?encode\\((?:message|_), writer = binary_1\\.BinaryWriter\\.create\\(\\)\\) \\{([\\s\\S]*?)\\n        return writer;`,
  ).exec(f.js);
  if (!m) throw new Error(`${path}: no encoder for ${name}`);
  const fields = [];
  f.messages.set(name, fields);
  const body = m[1];
  // message fields: X.encode(message.f / v, writer.uint32(T).fork())
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const messageField =
      /(?:(\w+)\.)?(?:exports\.)?(\w+)\.encode\((?:message\.(\w+)|v|[^,]*message\.(\w+)[^,]*), writer\.uint32\((\d+)\)\.fork\(\)\)/.exec(
        line,
      );
    const packed = /writer\.uint32\((\d+)\)\.fork\(\);/.exec(line);
    const scalar = /writer\.uint32\((\d+)\)\.(\w+)\((?:message\.(\w+)|v)\)/.exec(line);
    if (messageField) {
      const mm = messageField;
      const ref = /(\w+_\d+|exports)\.(\w+)\.encode/.exec(line);
      const mod = ref[1];
      const typeName = ref[2];
      const field = mm[3] ?? mm[4] ?? /for \(const v of message\.(\w+)\)/.exec(lines[i - 1] ?? '')?.[1];
      const repeated = /for \(const v of/.test(lines[i - 1] ?? '');
      const targetPath = mod === 'exports' ? path : f.imports.get(mod);
      let type;
      if (WELL_KNOWN[targetPath]) {
        type = `.${WELL_KNOWN[targetPath][0]}`;
        f.deps.add(WELL_KNOWN[targetPath][1]);
      } else {
        const tf = load(targetPath);
        type = `.${tf.pkg}.${protoName(tf, typeName)}`;
        if (targetPath !== path) f.deps.add(`${targetPath}.proto`);
        queue.push([targetPath, typeName]);
      }
      fields.push({ name: snake(field), type, number: Number(mm[5]) >>> 3, repeated });
      continue;
    }
    if (packed) {
      const mm = packed;
      // packed repeated scalar: fork(); for (const v of message.f) { writer.T(v); } ldelim()
      const loop = /for \(const v of message\.(\w+)\)/.exec(lines[i + 1] ?? '');
      const w = /writer\.(\w+)\(v\)/.exec(lines[i + 2] ?? '');
      if (!loop || !w) throw new Error(`${path} ${name}: unrecognised packed field at '${line.trim()}'`);
      fields.push({
        name: snake(loop[1]),
        ...scalarOrEnum(f, name, loop[1], w[1]),
        number: Number(mm[1]) >>> 3,
        repeated: true,
      });
      continue;
    }
    if (scalar) {
      const mm = scalar;
      const repeated = /for \(const v of message\.(\w+)\)/.exec(lines[i - 1] ?? '');
      const field = mm[3] ?? repeated[1];
      fields.push({
        name: snake(field),
        ...scalarOrEnum(f, name, field, mm[2]),
        number: Number(mm[1]) >>> 3,
        repeated: Boolean(repeated),
      });
    }
  }
}

function scalarOrEnum(f, msg, field, writerMethod) {
  if (!SCALARS.has(writerMethod)) throw new Error(`${f.path} ${msg}.${field}: writer.${writerMethod}`);
  if (writerMethod === 'int32') {
    const tsType = f.interfaces.get(msg)?.get(field);
    if (tsType && f.enums.has(tsType)) {
      f.usedEnums.add(tsType);
      return { type: `.${f.pkg}.${protoName(f, tsType)}` };
    }
    if (tsType && f.dtsImports.has(tsType)) {
      const ef = load(f.dtsImports.get(tsType));
      if (ef.enums.has(tsType)) {
        ef.usedEnums.add(tsType);
        f.deps.add(`${ef.path}.proto`);
        return { type: `.${ef.pkg}.${protoName(ef, tsType)}` };
      }
    }
  }
  return { type: writerMethod };
}

/** cosmjs-types flattens nested types as Outer_Inner; nest them back when Outer is a message here. */
function protoName(f, name) {
  const i = name.indexOf('_');
  if (i > 0 && f.interfaces.has(name.slice(0, i))) return `${name.slice(0, i)}.${name.slice(i + 1)}`;
  return name;
}

function addService(path, service, queue) {
  const f = load(path);
  const http = HTTP_RULES[service] ?? {};
  const methods = [];
  for (const m of f.js.matchAll(
    new RegExp(
      `()const data = exports\\.(\\w+)\\.encode\\(request\\)\\.finish\\(\\);\\s*const promise = this\\.rpc\\.request\\("${service.replaceAll('.', '\\.')}", "(\\w+)", data\\);\\s*return promise\\.then\\(\\(data\\) => exports\\.(\\w+)\\.decode`,
      'g',
    ),
  )) {
    methods.push({ name: m[3], req: m[2], res: m[4], http: http[m[3]] });
    queue.push([path, m[2]], [path, m[4]]);
  }
  if (methods.length === 0) throw new Error(`no methods found for ${service}`);
  for (const name of Object.keys(http))
    if (!methods.some((m) => m.name === name))
      throw new Error(`HTTP rule for unknown method ${service}/${name}`);
  if (methods.some((m) => m.http)) f.deps.add('google/api/annotations.proto');
  f.service = { name: service.split('.').pop(), methods };
}

function render(f) {
  const out = [
    `// Generated by proto/generate.mjs from cosmjs-types (${f.path}); do not edit.`,
    'syntax = "proto3";',
    `package ${f.pkg};`,
    '',
  ];
  for (const d of [...f.deps].sort()) out.push(`import "${d.startsWith('google/') ? d : d}";`);
  if (f.deps.size) out.push('');
  const top = new Map();
  const nested = new Map();
  for (const [name, fields] of f.messages) {
    const pn = protoName(f, name);
    if (pn.includes('.')) {
      const [outer, inner] = pn.split('.');
      if (!nested.has(outer)) nested.set(outer, []);
      nested.get(outer).push({ kind: 'message', name: inner, fields });
    } else top.set(name, fields);
  }
  for (const e of f.usedEnums) {
    const pn = protoName(f, e);
    if (pn.includes('.')) {
      const [outer, inner] = pn.split('.');
      if (!nested.has(outer)) nested.set(outer, []);
      nested.get(outer).push({ kind: 'enum', name: inner, values: f.enums.get(e) });
    } else out.push(...renderEnum(pn, f.enums.get(e), ''), '');
  }
  // outer messages that only exist to hold nested types
  for (const outer of nested.keys()) if (!top.has(outer)) top.set(outer, []);
  for (const [name, fields] of top) {
    out.push(`message ${name} {`);
    for (const n of nested.get(name) ?? []) {
      if (n.kind === 'enum') out.push(...renderEnum(n.name, n.values, '  '));
      else {
        out.push(`  message ${n.name} {`);
        for (const fl of n.fields)
          out.push(`    ${fl.repeated ? 'repeated ' : ''}${fl.type} ${fl.name} = ${fl.number};`);
        out.push('  }');
      }
    }
    for (const fl of fields)
      out.push(`  ${fl.repeated ? 'repeated ' : ''}${fl.type} ${fl.name} = ${fl.number};`);
    out.push('}', '');
  }
  if (f.service) {
    out.push(`service ${f.service.name} {`);
    for (const m of f.service.methods) {
      if (!m.http) {
        out.push(`  rpc ${m.name}(${m.req}) returns (${m.res});`);
        continue;
      }
      const [verb, path, body] = m.http;
      out.push(`  rpc ${m.name}(${m.req}) returns (${m.res}) {`);
      out.push(`    option (google.api.http) = { ${verb}: "${path}"${body ? ` body: "${body}"` : ''} };`);
      out.push('  }');
    }
    out.push('}', '');
  }
  return out.join('\n');
}

function renderEnum(name, values, indent) {
  return [`${indent}enum ${name} {`, ...values.map(([k, v]) => `${indent}  ${k} = ${v};`), `${indent}}`];
}

export function generate(outDir = here) {
  const queue = [];
  for (const [path, service] of SERVICES) addService(path, service, queue);
  queue.push(...ANY_PAYLOADS);
  while (queue.length) {
    const [path, name] = queue.pop();
    addMessage(path, name, queue);
  }
  const written = [];
  for (const f of files.values()) {
    if (f.messages.size === 0 && f.usedEnums.size === 0 && !f.service) continue;
    const target = join(outDir, `${f.path}.proto`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, render(f));
    written.push(relative(outDir, target));
  }
  return written.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = generate();
  process.stdout.write(`${written.join('\n')}\n`);
}
