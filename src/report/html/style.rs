//! The HTML report's style sheet, and the timeline chart's, which the wall
//! screen shares.

pub(super) const CSS: &str = r#"
:root { --done:#2e7d32; --failed:#c62828; --skipped:#ef8f00; --aborted:#6d4c41;
  --na:#9e9e9e; --open:#1565c0; --ink:#1b1b1b; --muted:#5f6368; --line:#d0d4d9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px;
  border-bottom: 2px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.headline { font-size: 18px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 12px 0;
  border-left: 6px solid var(--na); background: #f4f5f7; }
.headline.recovered { border-color: var(--done); } .headline.degraded { border-color: var(--skipped); }
.headline.aborted, .headline.incomplete { border-color: var(--failed); }
.banner { border: 1px solid #e0b252; background: #fff8e1; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
.banner.incident { border-color: var(--failed); background: #fdecea; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f5f7; font-weight: 600; }
table.facts th { width: 220px; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.outcome { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; white-space: nowrap; }
.outcome.done { background: var(--done); } .outcome.failed { background: var(--failed); }
.outcome.skipped { background: var(--skipped); } .outcome.aborted { background: var(--aborted); }
.outcome.not_applicable { background: var(--na); } .outcome.open { background: var(--open); }
.outcome.pending { background: #fff; color: var(--muted); border: 1px dashed var(--muted); }
.muted { color: var(--muted); }
table.hosts { width: auto; min-width: 60%; margin-left: 24px; }
.on-hosts { color: var(--muted); font-size: 12px; }
.crit { font-weight: 600; }
figure { margin: 8px 0; } figcaption { color: var(--muted); font-size: 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } table, figure, pre { break-inside: avoid; }
  tr { break-inside: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
}
"#;

/// The timeline chart's style (its colours come from the page's
/// `--done`, `--failed`… variables), shared with the wall screen.
pub const GANTT_CSS: &str = r#"
svg.gantt { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg.gantt text { fill: var(--ink); }
svg.gantt .tick, svg.gantt .tick-offset { fill: var(--muted); font-size: 10px; }
svg.gantt .grid { stroke: #e6e8eb; stroke-width: 1; }
svg.gantt .phase-band { fill: #eef1f4; }
svg.gantt .phase-title { font-weight: 600; font-size: 12px; }
svg.gantt .planned { fill: none; stroke: #7b8794; stroke-width: 1; stroke-dasharray: 3 2; }
svg.gantt .bar.done, svg.gantt .swatch.done { fill: var(--done); }
svg.gantt .bar.failed, svg.gantt .swatch.failed { fill: var(--failed); }
svg.gantt .bar.skipped, svg.gantt .swatch.skipped { fill: var(--skipped); }
svg.gantt .bar.aborted, svg.gantt .swatch.aborted { fill: var(--aborted); }
svg.gantt .bar.not_applicable, svg.gantt .swatch.not_applicable { fill: var(--na); }
svg.gantt .bar.open, svg.gantt .swatch.open { fill: var(--open); }
svg.gantt .swatch.pending { fill: #fff; stroke: var(--muted); stroke-dasharray: 2 2; }
svg.gantt .not-reached { fill: var(--muted); font-style: italic; font-size: 10px; }
svg.gantt .fail-mark { fill: var(--failed); stroke: #fff; stroke-width: 0.5; }
svg.gantt .last-event { stroke: var(--open); stroke-width: 1.5; stroke-dasharray: 2 3; }
svg.gantt .last-event-label { fill: var(--open); font-style: italic; }
svg.gantt .rto { stroke: var(--failed); stroke-width: 2; stroke-dasharray: 6 3; }
svg.gantt .rto-label { fill: var(--failed); font-weight: 600; }
"#;
