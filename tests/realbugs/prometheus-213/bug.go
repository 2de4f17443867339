// Upstream: https://github.com/prometheus/prometheus/pull/213
// Project: prometheus/prometheus
// Bug: AppendSamples starts two goroutines that report on unbuffered error
// channels, but returns early on the first error without receiving from the
// others. The abandoned senders block forever (400 goroutines were found
// blocked sending to watermarkErrChan).
// Kind: leak
// Want: GD103
package prometheus213

type Sample struct {
	Fingerprint string
	Value       float64
}

type LevelDBMetricPersistence struct {
	indexMetrics          func([]Sample) error
	refreshHighWatermarks func([]Sample) error
	writeSamples          func([]Sample) error
}

func (l *LevelDBMetricPersistence) AppendSamples(samples []Sample) (err error) {
	indexErrChan := make(chan error)
	watermarkErrChan := make(chan error)

	go func() {
		indexErrChan <- l.indexMetrics(samples)
	}()
	go func() {
		watermarkErrChan <- l.refreshHighWatermarks(samples) // BUG: not consumed when an earlier step fails
	}()

	if err = l.writeSamples(samples); err != nil {
		return
	}
	if err = <-indexErrChan; err != nil {
		return
	}
	err = <-watermarkErrChan
	return
}
