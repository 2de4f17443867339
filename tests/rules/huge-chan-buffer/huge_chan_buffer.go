package huge_chan_buffer

import "time"

// Bad cases carry a want comment; look-alikes that must stay silent do not.

type Record struct {
	Key, Value string
	TS         int64
}

type Sample struct {
	At    time.Time
	Value float64
}

const (
	queueDepth = 1 << 20
	smallDepth = 1024
	bigDepth   = 64 * 1024 * 1024
	derived    = queueDepth * 2
	typedDepth int = 100_000
)

var ingest = make(chan Record, 1<<20) // want "channel buffer of 1048576 Record values reserves about 40 MiB when the channel is made[^[]*$"

func push(r Record) { ingest <- r }

func pipeline() {
	ids := make(chan int64, 1024*1024) // want "channel buffer of 1048576 int64 values reserves 8 MiB[^[]*$"
	samples := make(chan Sample, queueDepth) // want "1048576 Sample values reserves about 32 MiB[^[]*$"
	bytes := make(chan []byte, bigDepth) // want "67108864 \\[\\]byte values reserves 1.5 GiB"
	events := make(chan *Record, derived) // want "2097152 \\*Record values reserves 16 MiB[^[]*$"
	words := make(chan string, typedDepth) // want "100000 string values reserves 1.5 MiB"
	hex := make(chan uint32, 0x20000) // want "131072 uint32 values reserves 512 KiB.*\\[low confidence\\]"
	sci := make(chan byte, 1e6) // want "1000000 byte values reserves 976.6 KiB.*\\[low confidence\\]"
	ids <- 1
	samples <- Sample{}
	bytes <- nil
	events <- nil
	words <- ""
	hex <- 1
	sci <- 1
}

func localConst() chan int {
	const depth = 200000
	// returned: the producers are the caller's, not in sight
	return make(chan int, depth) // want "200000 int values.*\\[low confidence\\]"
}

// Zero-size elements take no buffer memory: low confidence.
func semaphore() chan struct{} {
	return make(chan struct{}, 1<<20) // want "zero-size elements take no buffer memory"
}

// ---- silent look-alikes ----

func fine(n int) {
	a := make(chan Record, smallDepth)
	b := make(chan int, 65536) // at the threshold
	c := make(chan int, n)     // not a constant
	d := make(chan int, 1<<16)
	e := make(chan int)
	f := make([]int, 1<<20) // a slice
	g := make(map[string]int, 1<<20)
	_, _, _, _, _, _, _ = a, b, c, d, e, f, g
}

func fromLen(items []Record) chan Record {
	return make(chan Record, len(items)*4)
}
