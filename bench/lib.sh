# bench/lib.sh: sourced by the bench scripts.
# timed NAME CMD...: runs CMD once with its output to /dev/null (stderr to
# $TMP/err) and prints its wall time in seconds. Exit status 0 (no findings)
# and 1 (findings) are fine; anything else is a crash or an internal error
# and stops the bench.
timed() {
    local name=$1 s e r=0
    shift
    s=$EPOCHREALTIME
    "$@" >/dev/null 2>"$TMP/err" || r=$?
    e=$EPOCHREALTIME
    if [ "$r" -gt 1 ]; then
        echo "$name: exit status $r" >&2
        tail -5 "$TMP/err" >&2
        exit 1
    fi
    awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f", e - s}'
}
# min A B
min() { awk -v a="$1" -v b="$2" 'BEGIN{print (a<b)?a:b}'; }
