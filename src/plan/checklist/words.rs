//! The paper checklist's words in the runbook's language
//! (`locales/<lang>/checklist.ftl`): messages, durations, and the plan's
//! summaries (the critical path, each service's planned return).

use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n::Lang;
use crate::plan::{Margin, Plan, ServiceForecast};
use crate::runbook::{Duration, Mode};

/// The checklist's words in one language.
#[derive(Clone, Copy)]
pub(super) struct Words(pub(super) Lang);

impl Words {
    /// The message `id`.
    pub(super) fn tr(self, id: &str) -> String {
        self.0.tr(id)
    }

    /// The message `id` with text arguments (already HTML where they hold
    /// runbook text: escaped by the caller).
    pub(super) fn args(self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&'static str, FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(v.clone())))
            .collect();
        self.0.tr_args(id, &args)
    }

    /// The message `id` with a count (for plurals) and text arguments.
    pub(super) fn count(self, id: &str, count: usize, args: &[(&'static str, String)]) -> String {
        let mut all: Vec<(&'static str, FluentValue<'static>)> =
            vec![("count", FluentValue::from(count))];
        all.extend(args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))));
        self.0.tr_args(id, &all)
    }

    /// A duration of the plan: `1h10m` in English, « 1 h 10 min » in
    /// French.
    pub(super) fn dur(self, d: Duration) -> String {
        self.0.duration(d.to_std().as_secs())
    }

    /// `drill` or `incident`, as a word in a sentence.
    pub(super) fn mode(self, m: Mode) -> String {
        self.tr(&format!("checklist-mode-word-{m}"))
    }
}

impl Words {
    /// `critical path 1h10m of RTO 2h: 50m margin`, in `w`'s words.
    pub(super) fn path_summary(self, plan: &Plan) -> String {
        let w = self;
        let total = ("total", w.dur(plan.critical.total));
        let Some(rto) = plan.rto() else {
            return w.args("checklist-path-no-rto", &[total]);
        };
        let r = ("rto", w.dur(rto));
        match plan.critical.margin(rto) {
            Margin::Within(Duration::ZERO) => w.args("checklist-path-no-margin", &[total, r]),
            Margin::Within(m) => w.args("checklist-path-margin", &[total, r, ("margin", w.dur(m))]),
            Margin::Exceeds(by) => w.args("checklist-path-exceeds", &[total, r, ("by", w.dur(by))]),
        }
    }

    /// `back at 1h10m of RTO 2h: 50m margin`: when the plan has a service
    /// back, in `w`'s words.
    pub(super) fn service_summary(self, f: &ServiceForecast) -> String {
        let w = self;
        let Some(at) = f.at else {
            return w.tr("checklist-svc-none");
        };
        let a = ("at", w.dur(at));
        match (f.service.rto, f.margin()) {
            (Some(rto), Some(Margin::Within(Duration::ZERO))) => {
                w.args("checklist-svc-no-margin", &[a, ("rto", w.dur(rto.value))])
            }
            (Some(rto), Some(Margin::Within(m))) => w.args(
                "checklist-svc-margin",
                &[a, ("rto", w.dur(rto.value)), ("margin", w.dur(m))],
            ),
            (Some(rto), Some(Margin::Exceeds(by))) => w.args(
                "checklist-svc-exceeds",
                &[a, ("rto", w.dur(rto.value)), ("by", w.dur(by))],
            ),
            _ => w.args("checklist-svc-no-rto", &[a]),
        }
    }
}
