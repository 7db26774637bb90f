# `reprise status`: the services block (one line per service of
# `objectives.services`), in the drill's language.

status-svc-heading = services:
status-svc-restored = restored at { $time } after { $duration }
status-svc-not-restored-by = NOT restored: { $step } { $outcome }
status-svc-pending = not restored yet (by { $steps })
status-svc-no-step = restored by no step of this drill
status-svc-not-restored = NOT restored
status-svc-no-rto = { $state }, no RTO
status-svc-rto-met = RTO { $rto } met, { $margin } to spare
status-svc-rto-missed = RTO { $rto } MISSED by { $by }
status-svc-rto-open = { $left } left of RTO { $rto }
status-svc-rto-overdue = RTO { $rto } OVERDUE by { $by }
status-svc-rto-not-met = RTO { $rto } not met
status-svc-verdict = { $state }: { $verdict }
status-svc-point = restore point { $time } ({ $step }): { $lost } of data lost
status-svc-point-on = restore point { $time } ({ $step } on { $host }): { $lost } of data lost
status-svc-rpo-met = { $point }: RPO { $rpo } met
status-svc-rpo-missed = { $point }: RPO { $rpo } MISSED by { $by }
status-svc-no-rpo = { $point }, no RPO
status-svc-unmeasured = RPO { $rpo }: no restore point recorded, data lost not measured
status-svc-unmeasured-yet = RPO { $rpo }: no restore point recorded yet, data lost not measured
status-svc-nothing = no restore point, no RPO
