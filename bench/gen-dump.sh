#!/usr/bin/env bash
# bench/gen-dump.sh N [SITES]: writes to stdout a synthetic ?debug=2 goroutine
# dump of N goroutines in the shape of real Go 1.21+ dumps: a leaking chan
# send at one of SITES user sites (most goroutines), IO-wait servers, timers,
# sync waits, labels, minutes and `created by ... in goroutine N` lines.
# Arguments and values vary per goroutine so no two goroutines print alike.
set -eu
N=${1:-100000}
SITES=${2:-50}
awk -v n="$N" -v sites="$SITES" 'BEGIN {
    srand(42)
    printf "goroutine 1 [IO wait, 9 minutes]:\n"
    printf "internal/poll.runtime_pollWait(0x7f%08x, 0x72)\n\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n", 1
    printf "internal/poll.(*pollDesc).wait(0xc0000fef00?, 0x6?, 0x0)\n\t/usr/local/go/src/internal/poll/fd_poll_runtime.go:84 +0x27\n"
    printf "internal/poll.(*FD).Accept(0xc0000fef00)\n\t/usr/local/go/src/internal/poll/fd_unix.go:620 +0x295\n"
    printf "net/http.(*Server).Serve(0xc00012e000, {0x760490, 0xc0000a0180})\n\t/usr/local/go/src/net/http/server.go:3360 +0x30c\n"
    printf "main.main()\n\t/srv/app/cmd/api/main.go:111 +0x5be\n"
    for (i = 2; i <= n; i++) {
        r = i % 10
        printf "\ngoroutine %d ", i + 17
        if (r < 7) {
            s = i % sites
            printf "[chan send, %d minutes]:\n", (i % 90) + 1
            printf "example.com/app/internal/worker%d.(*Pool[...]).emit(0xc%09x, {0x%x, 0x%x})\n", s, i * 64, i, i * 3
            printf "\t/srv/app/internal/worker%d/pool.go:%d +0x%x\n", s, 40 + s, 59 + s
            printf "example.com/app/internal/worker%d.process(0xc%09x)\n\t/srv/app/internal/worker%d/pool.go:%d +0x1a5\n", s, i * 32, s, 80 + s
            printf "created by example.com/app/internal/worker%d.Start in goroutine %d\n\t/srv/app/internal/worker%d/pool.go:%d +0x85\n", s, (i % 97) + 1, s, 120
        } else if (r == 7) {
            printf "[IO wait]:\n"
            printf "internal/poll.runtime_pollWait(0x7f%08x, 0x72)\n\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n", i
            printf "internal/poll.(*pollDesc).wait(0xc%09x?, 0xc%09x?, 0x0)\n\t/usr/local/go/src/internal/poll/fd_poll_runtime.go:84 +0x27\n", i, i * 2
            printf "internal/poll.(*FD).Read(0xc%09x, {0xc%09x, 0x1000, 0x1000})\n\t/usr/local/go/src/internal/poll/fd_unix.go:165 +0x27a\n", i, i * 5
            printf "net.(*conn).Read(0xc%09x, {0xc%09x?, 0x0?, 0x0?})\n\t/usr/local/go/src/net/net.go:196 +0x45\n", i, i
            printf "net/http.(*connReader).backgroundRead(0xc%09x)\n\t/usr/local/go/src/net/http/server.go:690 +0x37\n", i
            printf "created by net/http.(*connReader).startBackgroundRead in goroutine %d\n\t/usr/local/go/src/net/http/server.go:686 +0xb6\n", i - 1
        } else if (r == 8) {
            printf "[sync.WaitGroup.Wait, %d minutes, locked to thread labels:{\"tenant\": \"%d\"}]:\n", i % 30, i % 13
            printf "sync.runtime_SemacquireWaitGroup(0xc%09x?)\n\t/usr/local/go/src/runtime/sema.go:114 +0x2e\n", i
            printf "sync.(*WaitGroup).Wait(0xc%09x?)\n\t/usr/local/go/src/sync/waitgroup.go:206 +0x85\n", i
            printf "example.com/app/internal/batch.run(...)\n\t/srv/app/internal/batch/run.go:%d\n", 30 + i % 5
            printf "example.com/app/internal/batch.Loop(0x%x)\n\t/srv/app/internal/batch/run.go:52 +0x3b\n", i
            printf "created by main.main in goroutine 1\n\t/srv/app/cmd/api/main.go:77 +0x2c5\n"
        } else {
            printf "[sleep]:\n"
            printf "time.Sleep(0x%x)\n\t/usr/local/go/src/runtime/time.go:338 +0x165\n", i * 1000
            printf "example.com/app/internal/ticker.tick(0xc%09x)\n\t/srv/app/internal/ticker/t.go:12 +0x1f\n", i
            printf "created by example.com/app/internal/ticker.Start in goroutine 1\n\t/srv/app/internal/ticker/t.go:9 +0x25\n"
        }
    }
}'
