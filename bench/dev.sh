# Sourced by the benches. start_dev DB_DIR [baton dev option…]: runs `baton dev` (no demo, no workers, no rate
# limit) on $port (a free one, chosen once) with its log in $work/dev.log, waits until it answers, and sets dev
# (its pid), server (the same), url (its database) and admin (the demo admin's token). stop_dev stops it.
port=${port:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dev=""
start_dev() {
  local db=$1; shift
  LOG_LEVEL=notice "$BATON" dev --no-demo --no-workers --rate-limit 0 --data "$db" --port "$port" "$@" > "$work/dev.log" 2>&1 &
  dev=$!
  server=$dev
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 $dev 2>/dev/null || { cat "$work/dev.log" >&2; exit 1; }
    sleep 0.5
  done
  url=$(grep -o 'postgresql://[^ ]*' "$work/dev.log" | head -1)
  [ -n "$url" ] || { echo "baton dev printed no database URI" >&2; cat "$work/dev.log" >&2; exit 1; }
  admin=$(grep -E '^ +admin ' "$work/dev.log" | awk '{print $3}')
}
stop_dev() { [ -z "$dev" ] || { kill -TERM $dev 2>/dev/null; wait $dev 2>/dev/null || true; dev=""; }; }
