// Summaries of repeated measurements and the printed table.

export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** Percentile (0..100) by nearest rank. */
export function percentile(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

/**
 * One figure of the results: a summary of samples, optionally with a baseline summary
 * measured in the same run (ratio = median / baseline median) and a target.
 */
export function metric(id, label, unit, samples, extra = {}) {
  const m = { id, label, unit, ...summary(samples) };
  if (extra.baseline) {
    const b = { label: extra.baseline.label, unit: extra.baseline.unit ?? unit, ...summary(extra.baseline.samples) };
    m.baseline = b;
    m.ratio = b.median === 0 ? null : m.median / b.median;
  }
  for (const k of ['p50', 'p99', 'p90']) if (extra[k] !== undefined) m[k] = extra[k];
  if (extra.target) {
    const t = extra.target; // { of: 'median' | 'ratio' | 'p99' …, max?: number, min?: number, text }
    m.target = t;
    const v = t.of === 'ratio' ? m.ratio : m[t.of ?? 'median'];
    m.met = v == null ? null : (t.max === undefined || v <= t.max) && (t.min === undefined || v >= t.min);
  }
  if (extra.note) m.note = extra.note;
  return m;
}

/** A number with three significant figures at most, as the table (and the README's figures) print it. */
export const formatNumber = (v) => {
  if (v == null || Number.isNaN(v)) return '-';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
};

export function formatTable(sections) {
  const rows = [['section', 'figure', 'median', 'min', 'max', 'p99', 'unit', 'baseline', 'ratio', 'target', 'met']];
  for (const s of sections) {
    if (s.status !== 'ok') {
      rows.push([s.id, `(${s.status}) ${s.reason ?? ''}`.slice(0, 90), '', '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const m of s.metrics) {
      rows.push([
        s.id,
        m.label,
        formatNumber(m.median),
        formatNumber(m.min),
        formatNumber(m.max),
        m.p99 === undefined ? '' : formatNumber(m.p99),
        m.unit,
        m.baseline ? `${formatNumber(m.baseline.median)} ${m.baseline.unit} (${m.baseline.label})` : '',
        m.ratio == null ? '' : `${formatNumber(m.ratio)}×`,
        m.target?.text ?? '',
        m.met == null ? '' : m.met ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.min(60, Math.max(...rows.map((r) => String(r[i]).length))));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
