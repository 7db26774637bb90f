//! The plan for a person at a terminal: phases, then every step wave by
//! wave in the order they can start, then the critical path against the RTO.

use std::fmt::Write;

use super::Plan;
use crate::runbook::{Mode, StepIndex};

impl Plan<'_> {
    /// Renders the plan as aligned plain text (no colour, so it reads the
    /// same in a terminal, a pipe or a ticket).
    pub fn to_text(&self) -> String {
        let rb = self.runbook;
        let mut out = String::new();
        let applicable = self.steps.iter().filter(|p| p.applicable).count();
        let _ = writeln!(out, "{}", rb.name);
        let mut facts = vec![
            format!("mode {}", self.mode),
            plural(rb.steps.len(), "step"),
        ];
        if applicable < rb.steps.len() {
            facts.push(format!("{} not applicable", rb.steps.len() - applicable));
        }
        let show_phases = !(rb.phases.len() == 1 && rb.phases[0].implicit);
        if show_phases {
            facts.push(plural(rb.phases.len(), "phase"));
        }
        facts.push(plural(self.waves.len(), "wave"));
        if let Some(rto) = rb.objectives.rto {
            facts.push(format!("RTO {}", rto.value));
        }
        if let Some(rpo) = rb.objectives.rpo {
            facts.push(format!("RPO {}", rpo.value));
        }
        let _ = writeln!(out, "{}", facts.join(" · "));

        if show_phases {
            out.push_str("\nphases\n");
            let id_w = width(rb.phases.iter().map(|p| p.id.as_str()));
            let title_w = width(rb.phases.iter().map(|p| p.title.as_str()));
            for (i, phase) in rb.phases.iter().enumerate() {
                let needs = self.graph.phase_needs(i);
                let when = if needs.is_empty() {
                    "starts at once".to_string()
                } else {
                    let names: Vec<&str> =
                        needs.iter().map(|&q| rb.phases[q].id.as_str()).collect();
                    format!("after {}", names.join(", "))
                };
                let line = format!(
                    "  {}  {}  {:>8}  {when}",
                    pad(phase.id.as_str(), id_w),
                    pad(&phase.title, title_w),
                    plural(phase.steps.len(), "step"),
                );
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }

        let rows: Vec<Row> = self
            .order
            .iter()
            .map(|&s| self.row(s, show_phases))
            .collect();
        let mut w = [4, 4, 4, 8, 5];
        for r in &rows {
            for (k, cell) in [&r.id, &r.kind, &r.role, &r.estimate, &r.start]
                .iter()
                .enumerate()
            {
                w[k] = w[k].max(cell.chars().count());
            }
        }
        let _ = writeln!(
            out,
            "\n     {}  {}  {}  {}  {}{}",
            pad("step", w[0]),
            pad("kind", w[1]),
            pad("role", w[2]),
            pad("estimate", w[3]),
            pad("start", w[4]),
            if show_phases { "  phase" } else { "" },
        );
        let mut row_of = vec![0usize; rb.steps.len()];
        for (k, &s) in self.order.iter().enumerate() {
            row_of[s.get()] = k;
        }
        for (n, wave) in self.waves.iter().enumerate() {
            let _ = writeln!(out, "wave {}", n + 1);
            for &s in wave {
                let r = &rows[row_of[s.get()]];
                let line = format!(
                    "   {} {}  {}  {}  {}  {}  {}",
                    r.mark,
                    pad(&r.id, w[0]),
                    pad(&r.kind, w[1]),
                    pad(&r.role, w[2]),
                    pad(&r.estimate, w[3]),
                    pad(&r.start, w[4]),
                    r.phase,
                );
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }

        out.push('\n');
        let path = &self.critical;
        if path.steps.is_empty() {
            out.push_str("critical path: no step applies in this mode\n");
        } else {
            let names: Vec<&str> = path.steps.iter().map(|&s| rb.step(s).id.as_str()).collect();
            let _ = writeln!(out, "critical path (*): {}", names.join(" → "));
        }
        let _ = writeln!(out, "{}", path.summary(self.rto()));
        if path.missing_estimates > 0 {
            let _ = writeln!(
                out,
                "{} without an estimate, counted as 0s",
                plural(path.missing_estimates, "step")
            );
        }
        let services = self.services();
        if !services.is_empty() {
            out.push_str("\nservices\n");
            let name_w = width(services.iter().map(|f| f.service.name.as_str()));
            for f in &services {
                let via: Vec<&str> = f.path.iter().map(|&s| rb.step(s).id.as_str()).collect();
                let via = if via.is_empty() {
                    String::new()
                } else {
                    format!("  via {}", via.join(" → "))
                };
                let rpo = f
                    .service
                    .rpo
                    .map_or(String::new(), |r| format!(" · RPO {}", r.value));
                let line = format!(
                    "  {}  {}{rpo}{via}",
                    pad(&f.service.name, name_w),
                    f.summary()
                );
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
        out
    }

    fn row(&self, s: StepIndex, show_phase: bool) -> Row {
        let step = self.runbook.step(s);
        let p = &self.steps[s.get()];
        let (start, phase) = if p.applicable {
            (
                p.start.to_string(),
                if show_phase {
                    self.runbook.phase_of(s).id.to_string()
                } else {
                    String::new()
                },
            )
        } else {
            let only = step.only.unwrap_or(match self.mode {
                Mode::Drill => Mode::Incident,
                Mode::Incident => Mode::Drill,
            });
            ("-".into(), format!("not applicable ({only} only)"))
        };
        // Where the command runs, after the phase: `on db1, db2`.
        let phase = match step.on_hosts() {
            Some(on) if phase.is_empty() => on,
            Some(on) => format!("{phase}  {on}"),
            None => phase,
        };
        Row {
            mark: if p.critical { '*' } else { ' ' },
            id: step.id.to_string(),
            kind: step.kind().to_string(),
            role: step.role.clone().unwrap_or_else(|| "-".into()),
            estimate: step
                .estimate
                .map_or_else(|| "-".into(), |e| e.value.to_string()),
            start,
            phase,
        }
    }
}

/// One step's cells in the waves table.
struct Row {
    mark: char,
    id: String,
    kind: String,
    role: String,
    estimate: String,
    start: String,
    phase: String,
}

/// "1 step", "3 steps".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The widest of `items`, in characters.
fn width<'a>(items: impl Iterator<Item = &'a str>) -> usize {
    items.map(|s| s.chars().count()).max().unwrap_or(0)
}

/// `s` padded with spaces to `w` characters (not bytes: titles are often
/// not ASCII).
fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    let mut out = String::with_capacity(s.len() + w.saturating_sub(n));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(n)));
    out
}
