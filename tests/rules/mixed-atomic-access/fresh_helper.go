package metrics

import "sync/atomic"

// A metric object filled by a helper before its maker returns it: every
// caller hands the helper a value it has just made, so the plain counts
// inside run before anything shares it. Silent.
type fileMetric struct {
	files uint32
	bytes uint64
}

func (m *fileMetric) addFile(n uint64) {
	atomic.AddUint32(&m.files, 1)
	atomic.AddUint64(&m.bytes, n)
}

func (m *fileMetric) Files() uint32 { return atomic.LoadUint32(&m.files) }

func newFileMetric(sizes []uint64) *fileMetric {
	m := &fileMetric{}
	fillMetric(sizes, m)
	return m
}

func newFileMetricNamed(sizes []uint64) (m *fileMetric, err error) {
	m = &fileMetric{}
	fillMetric(sizes, m)
	return
}

func fillMetric(sizes []uint64, m *fileMetric) {
	walkSizes(sizes, func(n uint64) {
		m.files++
		m.bytes += n
	})
}

func walkSizes(sizes []uint64, fn func(uint64)) {
	for _, n := range sizes {
		fn(n)
	}
}

// Look-alike: one caller hands the helper a metric that is already
// shared (a field of a long-lived object): reported.
type volumeMetrics struct {
	live *liveMetric
}

type liveMetric struct {
	files uint32
}

func (m *liveMetric) addFile() { atomic.AddUint32(&m.files, 1) }

func newLiveMetric() *liveMetric {
	m := &liveMetric{}
	fillLive(m)
	return m
}

func (v *volumeMetrics) reload() { fillLive(v.live) }

func fillLive(m *liveMetric) {
	m.files++ // want "plain write to m.files, which is also updated with atomic.AddUint32"
}

// Look-alike: the helper starts a goroutine that fills the value.
type asyncMetric struct {
	files uint32
}

func (m *asyncMetric) addFile() { atomic.AddUint32(&m.files, 1) }

func newAsyncMetric() *asyncMetric {
	m := &asyncMetric{}
	fillAsync(m)
	return m
}

func fillAsync(m *asyncMetric) {
	go func() {
		m.files++ // want "plain write to m.files, which is also updated with atomic.AddUint32"
	}()
}
