# `reprise status --serve`, the wall screen's server: its start and stop
# lines and the text of its HTTP errors, in the drill's language (or
# `--lang`'s).

serve-listening = serving { $journal } at { $url } (Ctrl-C stops)
serve-stopped = stopped
serve-open = serving { $journal } on { $addr }, reachable from the network without a token: add --token, or put it behind the hospital's reverse proxy
serve-not-found = not found: this page has / and /events
serve-read-only = read-only: only GET
serve-token = a token is needed: use the address printed at start
serve-too-many = too many screens follow this drill

# Its own errors: the address, the signals, listening.
serve-bad-address = `{ $addr }` is not an address to listen on
serve-bad-address-hint = write it as IP:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080
serve-no-signal-handler = cannot install the Ctrl-C handler: { $why }
serve-cannot-listen = cannot listen on { $addr }: { $why }
serve-cannot-listen-hint = choose another address with --serve ADDR
serve-not-a-journal = { $journal }: not a drill's journal (no `run_started`)
