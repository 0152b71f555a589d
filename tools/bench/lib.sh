# Helpers shared by the benchmark scripts (tools/bench.sh, tools/bench/live.sh,
# tools/bench/million.sh); sourced, never run. The caller defines log().

# Is PID running? (kill -0 is not enough: an exited child not yet waited for is a zombie,
# which kill -0 still finds; inside a trap, bash does not reap children by itself)
running() {
    local st
    # read, not $(<file): a failed redirection in a command substitution ends the script
    read -r st 2>/dev/null <"/proc/$1/stat" || return 1
    st=${st##*) }
    [[ ${st:0:1} != Z ]]
}

# stop_pid PID SIGNAL: stops one of our own children by PID: SIGNAL, up to 5 s of grace,
# then SIGKILL. An empty PID is nothing to stop.
stop_pid() {
    local pid=$1 sig=$2 i
    [[ -n $pid ]] || return 0
    if running "$pid"; then
        kill -s "$sig" "$pid" 2>/dev/null || true
        for ((i = 0; i < 500; i++)); do
            running "$pid" || break
            sleep 0.01
        done
        if running "$pid"; then
            log "PID $pid ($(cat "/proc/$pid/comm" 2>/dev/null || true)) did not stop on SIG$sig within 5 s; sending SIGKILL"
            kill -s KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

# A TCP port on 127.0.0.1 that nothing listens on now (20000-31999).
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        (: </dev/tcp/127.0.0.1/"$p") 2>/dev/null || {
            echo "$p"
            return
        }
    done
}
