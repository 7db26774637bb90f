# What `reprise attach` says on its own side (src/attach/said.rs): the
# drill stopped or gone, a line typed meanwhile, a role no step has.
attach-client-gone = ⚠ the drill stopped: its process is gone. Carry it on with `reprise resume { $journal }`;
attach-client-stopped = ⏸ the drill was stopped; carry it on with `reprise resume { $journal }`;
attach-client-comes-back = this terminal attaches again by itself once it runs (Ctrl-C to leave)
attach-client-not-recorded = not recorded: the drill is not running (`reprise resume { $journal }`); `detach` or Ctrl-C to leave
attach-client-refused = ⚠ the drill refused this terminal: { $why }
attach-unknown-role = no step has the role { $roles }: the drill's roles are { $known }
attach-no-roles = none
