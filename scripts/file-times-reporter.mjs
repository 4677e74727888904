// A node:test reporter that writes one JSON line per top-level test: its file, duration and
// outcome. scripts/run-tests.mjs adds these up into per-file durations and the closing totals.
export default async function* fileTimesReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    const leaf = d.details?.type !== 'suite';
    yield `${JSON.stringify({
      file: d.file ?? '?',
      nesting: d.nesting,
      leaf,
      ok: event.type === 'test:pass',
      skip: Boolean(d.skip || d.todo),
      ms: d.details?.duration_ms ?? 0,
    })}\n`;
  }
}
