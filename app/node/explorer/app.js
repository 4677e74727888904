// The node's explorer: a static page reading this node's REST (LCD) gateway and, through the
// gateway's read-only /rpc/<method> proxy, its CometBFT RPC (same origin, so it works against any
// of our nodes). Views: overview (blocks, txs, validators with voting power and PoC weight, epoch
// and stage, proposals with tallies, a voting-power plot over recent epochs), tx, account, block.
// Everything shown is escaped; every list is bounded; the current view refreshes every few seconds.

const REFRESH_MS = 3000;
const LIST = 15;
const PLOT_EPOCHS = 8;
const view = document.getElementById('view');
const live = document.getElementById('live');

const esc = (v) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const short = (s, n = 10) => (s && s.length > 2 * n + 1 ? `${s.slice(0, n)}…${s.slice(-n)}` : (s ?? ''));
const fmtInt = (s) => String(s ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const coins = (list) => (list ?? []).map((c) => `${fmtInt(c.amount)} ${esc(c.denom)}`).join(', ') || '0';
const txLink = (h) => `<a class="mono" href="#/tx/${esc(h)}">${esc(short(h, 8))}</a>`;
const acctLink = (a) => `<a class="mono" href="#/account/${esc(a)}">${esc(short(a, 10))}</a>`;
const blockLink = (h) => `<a href="#/block/${esc(h)}">${esc(h)}</a>`;
const ago = (t) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(t)) / 1000));
  return s < 120 ? `${s}s ago` : `${Math.round(s / 60)}m ago`;
};

/** GET a same-origin JSON path; undefined (not an exception) when the node does not serve it. */
async function get(path) {
  try {
    const r = await fetch(path, { headers: { accept: 'application/json' } });
    if (!r.ok) return undefined;
    return await r.json();
  } catch {
    return undefined;
  }
}
const rpc = async (method, params = {}) => {
  const qs = new URLSearchParams(params).toString();
  return (await get(`/rpc/${method}${qs ? `?${qs}` : ''}`))?.result;
};

function section(title, body, cls = '') {
  return `<section class="${cls}"><h2>${esc(title)}</h2>${body}</section>`;
}
function table(headers, rows, empty = 'none yet') {
  if (!rows.length) return `<p class="muted">${esc(empty)}</p>`;
  const th = headers.map((h) => (h.startsWith('#') ? `<th class="num">${esc(h.slice(1))}</th>` : `<th>${esc(h)}</th>`));
  return `<table><thead><tr>${th.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

// ---- overview ----

async function latestBlocks() {
  const r = await rpc('blockchain');
  const metas = (r?.block_metas ?? []).slice(0, LIST);
  return table(
    ['height', 'time', '#txs', 'proposer'],
    metas.map(
      (m) =>
        `<tr><td>${blockLink(m.header.height)}</td><td class="muted">${esc(ago(m.header.time))}</td><td class="num">${esc(m.num_txs)}</td><td class="mono">${esc(short(m.header.proposer_address, 6))}</td></tr>`,
    ),
  );
}

async function latestTxs() {
  const r = await rpc('tx_search', { query: '"tx.height>0"', order_by: '"desc"', per_page: String(LIST) });
  const txs = r?.txs ?? [];
  return table(
    ['hash', 'height', 'result', '#gas used'],
    txs.map(
      (t) =>
        `<tr data-tx="${esc(t.hash)}"><td>${txLink(t.hash)}</td><td>${blockLink(t.height)}</td><td class="${t.tx_result.code ? 'bad' : 'ok'}">${t.tx_result.code ? `code ${esc(t.tx_result.code)}` : 'ok'}</td><td class="num">${fmtInt(t.tx_result.gas_used)}</td></tr>`,
    ),
  );
}

/** Validators by voting power, with the PoC weight of the participant holding the same consensus key. */
async function validators() {
  const [set, parts] = await Promise.all([
    get('/cosmos/base/tendermint/v1beta1/validatorsets/latest?pagination.limit=100'),
    get('/gonka/poc/v1/participants?pagination.limit=500'),
  ]);
  const byKey = new Map((parts?.participants ?? []).map((p) => [p.consensus_pubkey, p]));
  const vals = [...(set?.validators ?? [])].sort((a, b) => Number(BigInt(b.voting_power) - BigInt(a.voting_power)));
  const total = vals.reduce((s, v) => s + BigInt(v.voting_power), 0n) || 1n;
  return table(
    ['validator', 'participant', '#voting power', '#share', '#PoC weight'],
    vals.map((v) => {
      const p = byKey.get(v.pub_key?.key);
      const share = Number((BigInt(v.voting_power) * 10000n) / total) / 100;
      return `<tr><td class="mono">${esc(short(v.address, 8))}</td><td>${p ? acctLink(p.address) : '<span class="muted">—</span>'}</td><td class="num">${fmtInt(v.voting_power)}</td><td class="num">${share.toFixed(2)}%</td><td class="num">${p ? fmtInt(p.weight) : '—'}</td></tr>`;
    }),
  );
}

async function epochAndStage() {
  const [epoch, stage] = await Promise.all([get('/gonka/poc/v1/epoch'), get('/gonka/poc/v1/stage')]);
  if (!epoch) return '<p class="muted">this node serves no epoch query</p>';
  const stageText = stage ? esc(stage.stage) : '<span class="muted">not available on this node</span>';
  return `<dl><dt>epoch</dt><dd id="epoch">${esc(epoch.epoch)}</dd><dt>started at</dt><dd>${blockLink(epoch.start_height)}</dd><dt>next epoch at</dt><dd>${esc(epoch.next_start_height)}</dd><dt>length</dt><dd>${esc(epoch.epoch_length)} blocks</dd><dt>stage</dt><dd id="stage">${stageText}</dd></dl>`;
}

async function proposals() {
  // Newest first (the chain's pagination has no reverse: read a bounded page, take its tail).
  const r = await get('/cosmos/gov/v1/proposals?pagination.limit=200');
  const list = (r?.proposals ?? []).slice(-10).reverse();
  const tallies = await Promise.all(
    list.map((p) =>
      p.status === 'PROPOSAL_STATUS_VOTING_PERIOD'
        ? get(`/cosmos/gov/v1/proposals/${encodeURIComponent(p.id)}/tally`).then((t) => t?.tally)
        : p.final_tally_result,
    ),
  );
  return table(
    ['id', 'title', 'status', '#yes', '#no', '#abstain', '#veto'],
    list.map((p, i) => {
      const t = tallies[i] ?? {};
      return `<tr data-proposal="${esc(p.id)}"><td>${esc(p.id)}</td><td>${esc(short(p.title, 20))}</td><td>${esc(String(p.status).replace('PROPOSAL_STATUS_', '').toLowerCase())}</td><td class="num tally-yes">${fmtInt(t.yes_count)}</td><td class="num tally-no">${fmtInt(t.no_count)}</td><td class="num tally-abstain">${fmtInt(t.abstain_count)}</td><td class="num tally-veto">${fmtInt(t.no_with_veto_count)}</td></tr>`;
    }),
    'no proposals',
  );
}

const COLORS = ['#2f6fde', '#e07b24', '#1c8a4b', '#c23b3b', '#7a4bd1', '#0f9aa8', '#a8870f', '#d14b9b'];

/**
 * Voting power per validator at the start of each recent epoch (CometBFT's validator set at that
 * height); without an epoch query, at evenly spaced recent heights. An inline SVG line chart.
 */
async function powerPlot() {
  const [epoch, status] = await Promise.all([get('/gonka/poc/v1/epoch'), rpc('status')]);
  const latest = Number(status?.sync_info?.latest_block_height ?? 0);
  const earliest = Math.max(1, Number(status?.sync_info?.earliest_block_height ?? 1));
  const points = [];
  if (epoch && Number(epoch.epoch_length) > 0) {
    const len = Number(epoch.epoch_length);
    for (let k = PLOT_EPOCHS - 1; k >= 0; k--) {
      const h = Number(epoch.start_height) - k * len;
      if (h >= earliest) points.push({ label: `e${Number(epoch.epoch) - k}`, height: Math.max(h, 1) });
    }
    if (latest > Number(epoch.start_height)) points.push({ label: 'now', height: latest });
  } else {
    const step = Math.max(1, Math.floor((latest - earliest) / (PLOT_EPOCHS - 1)));
    for (let h = Math.max(earliest, latest - step * (PLOT_EPOCHS - 1)); h <= latest; h += step) points.push({ label: `h${h}`, height: h });
  }
  const sets = await Promise.all(points.map((p) => rpc('validators', { height: String(p.height), per_page: '100' })));
  const series = new Map();
  sets.forEach((s, i) => {
    for (const v of s?.validators ?? []) {
      if (!series.has(v.address)) series.set(v.address, new Array(points.length).fill(0));
      series.get(v.address)[i] = Number(v.voting_power);
    }
  });
  if (!series.size) return '<p class="muted">no validator sets to plot</p>';
  const W = 640;
  const H = 220;
  const pad = { l: 48, r: 12, t: 10, b: 24 };
  const max = Math.max(1, ...[...series.values()].flat());
  const x = (i) => pad.l + (points.length === 1 ? 0 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v) => H - pad.b - (v * (H - pad.t - pad.b)) / max;
  let svg = `<svg id="power-plot" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="voting power per validator over recent epochs">`;
  svg += `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#ccc"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#ccc"/>`;
  svg += `<text x="${pad.l - 6}" y="${pad.t + 8}" text-anchor="end">${esc(max)}</text><text x="${pad.l - 6}" y="${H - pad.b}" text-anchor="end">0</text>`;
  points.forEach((p, i) => {
    svg += `<text x="${x(i)}" y="${H - 6}" text-anchor="middle">${esc(p.label)}</text>`;
  });
  let legend = '';
  [...series.entries()].forEach(([addr, vals], k) => {
    const color = COLORS[k % COLORS.length];
    svg += `<polyline fill="none" stroke="${color}" stroke-width="2" points="${vals.map((v, i) => `${x(i)},${y(v)}`).join(' ')}"/>`;
    for (const [i, v] of vals.entries()) svg += `<circle cx="${x(i)}" cy="${y(v)}" r="2.5" fill="${color}"><title>${esc(short(addr, 6))}: ${esc(v)}</title></circle>`;
    legend += `<span><i style="background:${color}"></i><span class="mono">${esc(short(addr, 6))}</span></span>`;
  });
  return `${svg}</svg><div class="legend">${legend}</div>`;
}

// The plot reads one validator set per epoch: redrawn every 30 s, not on every refresh.
const PLOT_EVERY_MS = 30_000;
let plotCache = { at: 0, html: '' };
async function cachedPowerPlot() {
  if (Date.now() - plotCache.at > PLOT_EVERY_MS) plotCache = { at: Date.now(), html: await powerPlot() };
  return plotCache.html;
}

async function overview() {
  const [b, t, v, e, p, plot] = await Promise.all([latestBlocks(), latestTxs(), validators(), epochAndStage(), proposals(), cachedPowerPlot()]);
  return [
    section('Latest blocks', b),
    section('Latest transactions', t),
    section('Validators', v),
    section('Epoch and stage', e),
    section('Governance proposals', p, 'wide'),
    section('Voting power per validator, recent epochs', plot, 'wide'),
  ].join('');
}

// ---- detail pages ----

function messagesOf(tx) {
  return (tx?.body?.messages ?? []).map((m) => {
    const { '@type': type, ...fields } = m;
    return `<li><b>${esc(type)}</b><pre>${esc(JSON.stringify(fields, null, 2))}</pre></li>`;
  });
}

async function txPage(hash) {
  const r = await get(`/cosmos/tx/v1beta1/txs/${encodeURIComponent(hash)}`);
  if (!r?.tx_response) return section('Transaction', `<p class="bad">transaction ${esc(hash)} not found</p>`, 'wide');
  const t = r.tx_response;
  const fee = r.tx?.auth_info?.fee;
  return section(
    'Transaction',
    `<dl id="tx-detail"><dt>hash</dt><dd class="mono" id="tx-hash">${esc(t.txhash)}</dd><dt>height</dt><dd>${blockLink(t.height)}</dd><dt>result</dt><dd class="${t.code ? 'bad' : 'ok'}">${t.code ? `code ${esc(t.code)} (${esc(t.codespace)}): ${esc(t.raw_log)}` : 'ok'}</dd><dt>gas</dt><dd>${fmtInt(t.gas_used)} / ${fmtInt(t.gas_wanted)}</dd><dt>fee</dt><dd>${coins(fee?.amount)}</dd><dt>memo</dt><dd>${esc(r.tx?.body?.memo)}</dd><dt>time</dt><dd>${esc(t.timestamp)}</dd></dl><h2>Messages</h2><ol>${messagesOf(r.tx).join('')}</ol>`,
    'wide',
  );
}

async function accountPage(addr) {
  const q = encodeURIComponent(addr);
  const [acct, bal, sent, recv] = await Promise.all([
    get(`/cosmos/auth/v1beta1/accounts/${q}`),
    get(`/cosmos/bank/v1beta1/balances/${q}`),
    rpc('tx_search', { query: `"message.sender='${addr.replace(/[^a-z0-9]/g, '')}'"`, order_by: '"desc"', per_page: String(LIST) }),
    rpc('tx_search', { query: `"transfer.recipient='${addr.replace(/[^a-z0-9]/g, '')}'"`, order_by: '"desc"', per_page: String(LIST) }),
  ]);
  if (!bal) return section('Account', `<p class="bad">${esc(addr)} is not an address this chain knows</p>`, 'wide');
  const a = acct?.account ?? {};
  const txs = [...(sent?.txs ?? []), ...(recv?.txs ?? [])]
    .filter((t, i, all) => all.findIndex((u) => u.hash === t.hash) === i)
    .sort((x, y) => Number(y.height) - Number(x.height))
    .slice(0, LIST);
  return (
    section(
      'Account',
      `<dl><dt>address</dt><dd class="mono" id="account-address">${esc(addr)}</dd><dt>balance</dt><dd id="balances">${coins(bal.balances)}</dd><dt>account number</dt><dd>${esc(a.account_number ?? '—')}</dd><dt>sequence</dt><dd>${esc(a.sequence ?? '—')}</dd><dt>type</dt><dd>${esc(a['@type'] ?? 'no account yet')}</dd></dl>`,
      'wide',
    ) +
    section(
      'Transactions',
      table(
        ['hash', 'height', 'result'],
        txs.map((t) => `<tr data-tx="${esc(t.hash)}"><td>${txLink(t.hash)}</td><td>${blockLink(t.height)}</td><td class="${t.tx_result.code ? 'bad' : 'ok'}">${t.tx_result.code ? 'failed' : 'ok'}</td></tr>`),
      ),
      'wide',
    )
  );
}

async function blockPage(height) {
  const r = await rpc('block', { height: String(height) });
  if (!r?.block) return section('Block', `<p class="bad">block ${esc(height)} not found</p>`, 'wide');
  const h = r.block.header;
  const txs = await rpc('tx_search', { query: `"tx.height=${Number(height)}"`, per_page: '100' });
  return section(
    `Block ${h.height}`,
    `<dl><dt>hash</dt><dd class="mono">${esc(r.block_id.hash)}</dd><dt>time</dt><dd>${esc(h.time)}</dd><dt>proposer</dt><dd class="mono">${esc(h.proposer_address)}</dd><dt>app hash</dt><dd class="mono">${esc(h.app_hash)}</dd></dl>` +
      table(['tx'], (txs?.txs ?? []).map((t) => `<tr data-tx="${esc(t.hash)}"><td>${txLink(t.hash)}</td></tr>`), 'no transactions'),
    'wide',
  );
}

// ---- routing and refresh ----

function route() {
  const [, kind, arg] = (location.hash || '#/').slice(1).split('/');
  const value = decodeURIComponent(arg ?? '');
  if (kind === 'tx' && /^[0-9A-Fa-f]{64}$/.test(value)) return () => txPage(value.toUpperCase());
  if (kind === 'account' && /^[a-z0-9]{1,90}$/.test(value)) return () => accountPage(value);
  if (kind === 'block' && /^\d{1,19}$/.test(value)) return () => blockPage(value);
  return overview;
}

let generation = 0;
async function render() {
  const mine = ++generation;
  try {
    const html = await route()();
    if (mine !== generation) return; // a newer render started (navigation): drop this one
    view.innerHTML = html;
    live.classList.remove('stale');
  } catch (e) {
    if (mine === generation) live.classList.add('stale');
    console.error(e);
  }
}

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('q').value.trim();
  if (/^[0-9A-Fa-f]{64}$/.test(q)) location.hash = `#/tx/${q.toUpperCase()}`;
  else if (/^\d+$/.test(q)) location.hash = `#/block/${q}`;
  else if (q) location.hash = `#/account/${q}`;
});
window.addEventListener('hashchange', () => {
  view.innerHTML = '<p class="muted">loading…</p>';
  render();
});

(async () => {
  const info = await get('/cosmos/base/tendermint/v1beta1/node_info');
  const n = info?.default_node_info;
  if (n) document.getElementById('chain').textContent = `${n.network} · ${n.moniker}`;
  await render();
  setInterval(render, REFRESH_MS);
})();
