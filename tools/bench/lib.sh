# Helpers shared by the benchmark scripts (tools/bench.sh, tools/bench/live.sh,
# tools/bench/million.sh, tools/bench/pg.sh); sourced, never run. The caller defines log(),
# and LOAD_WARN for load_note.

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

# ---- numbers and CPU time (tools/bench.sh, tools/bench/pg.sh) ----

# utime + stime, in clock ticks, of the processes given (all threads of each).
cpu_ticks() {
    local total=0 pid s f
    for pid in "$@"; do
        read -r s 2>/dev/null <"/proc/$pid/stat" || continue
        s=${s##*) } # drop "pid (comm) ": the command name may hold spaces
        read -r -a f <<<"$s"
        total=$((total + f[11] + f[12])) # fields 14 and 15 of the full line
    done
    echo "$total"
}

# microseconds -> milliseconds, two decimals
fmt_ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

median() {
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
        if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
        else printf "%.10g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# CPU time, in clock ticks, that the whole machine spent busy (user, nice, system, and steal:
# time the hypervisor gave to someone else) and that this shell's finished children used.
machine_busy_ticks() {
    local u n s steal
    read -r _ u n s _ _ _ _ steal _ </proc/stat
    echo $((u + n + s + steal))
}

children_ticks() {
    local st f
    st=$(<"/proc/$$/stat")
    st=${st##*) }
    read -r -a f <<<"$st"
    echo $((f[13] + f[14])) # cutime, cstime: fields 16 and 17
}

# percentile P of the numbers given (nearest rank)
pct() {
    local p=$1
    shift
    printf '%s\n' "$@" | sort -g | awk -v p="$p" '{ a[NR] = $1 } END {
        if (!NR) { print "—"; exit } r = int(p * NR / 100 + 0.999999); if (r < 1) r = 1; print a[r] }'
}

# "; other load N%" when other processes used LOAD_WARN% or more of the CPUs during a run
load_note() { awk -v l="$1" -v w="$LOAD_WARN" 'BEGIN { if (l >= w) printf "; **other load %.0f%%**", l }'; }
