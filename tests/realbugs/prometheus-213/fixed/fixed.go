// Upstream: https://github.com/prometheus/prometheus/pull/213
// Project: prometheus/prometheus
// Fix: "The error channels in AppendSamples need to be buffered, since in the
// presence of errors their values may not be consumed."
package fixed

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
	indexErrChan := make(chan error, 1)
	watermarkErrChan := make(chan error, 1)

	go func() {
		indexErrChan <- l.indexMetrics(samples)
	}()
	go func() {
		watermarkErrChan <- l.refreshHighWatermarks(samples)
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
