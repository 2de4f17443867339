// Upstream: https://github.com/prometheus/prometheus/pull/1432
// Project: prometheus/prometheus
// Fix: commit 33a50e6 splits the body of Labels into unlockedLabels, which
// takes no lock; wrapAppender (whose caller holds the RLock) calls
// unlockedLabels, and Labels is RLock + unlockedLabels for the other callers.
package fixed

import (
	"strings"
	"sync"
	"time"
)

type LabelSet map[string]string

type ScrapeConfig struct {
	HonorLabels    bool
	ScrapeInterval time.Duration
}

type SampleAppender interface {
	Append(name string, labels LabelSet, v float64) error
}

type ruleLabelsAppender struct {
	SampleAppender
	labels LabelSet
}

type honorLabelsAppender struct {
	SampleAppender
	labels LabelSet
}

// Target refers to a singular HTTP or HTTPS endpoint.
type Target struct {
	scraperStopping chan struct{}
	scraperStopped  chan struct{}

	// Mutex protects the members below.
	sync.RWMutex

	scrapeConfig *ScrapeConfig
	labels       LabelSet
}

// NewTarget creates a target for the given config and labels.
func NewTarget(cfg *ScrapeConfig, labels LabelSet) *Target {
	t := &Target{
		scraperStopping: make(chan struct{}),
		scraperStopped:  make(chan struct{}),
	}
	t.Update(cfg, labels)
	return t
}

// Update overwrites the settings derived from the job config (config reload).
func (t *Target) Update(cfg *ScrapeConfig, labels LabelSet) {
	t.Lock()
	t.scrapeConfig = cfg
	t.labels = labels
	t.Unlock()
}

// Labels returns a copy of the target's public labels.
func (t *Target) Labels() LabelSet {
	t.RLock()
	defer t.RUnlock()
	return t.unlockedLabels()
}

// unlockedLabels is Labels for callers that hold the lock already.
func (t *Target) unlockedLabels() LabelSet {
	lset := make(LabelSet, len(t.labels))
	for ln, lv := range t.labels {
		if !strings.HasPrefix(ln, "__") {
			lset[ln] = lv
		}
	}
	return lset
}

// wrapAppender wraps app for the samples scraped from the target.
// RLock must be held by the caller.
func (t *Target) wrapAppender(app SampleAppender) SampleAppender {
	if t.scrapeConfig.HonorLabels {
		return honorLabelsAppender{SampleAppender: app, labels: t.unlockedLabels()}
	}
	return ruleLabelsAppender{SampleAppender: app, labels: t.unlockedLabels()}
}

func (t *Target) interval() time.Duration {
	t.RLock()
	defer t.RUnlock()
	return t.scrapeConfig.ScrapeInterval
}

// RunScraper scrapes the target every interval until StopScraper.
func (t *Target) RunScraper(app SampleAppender) {
	defer close(t.scraperStopped)
	ticker := time.NewTicker(t.interval())
	defer ticker.Stop()
	for {
		select {
		case <-t.scraperStopping:
			return
		case <-ticker.C:
			t.scrape(app)
		}
	}
}

// StopScraper stops RunScraper and waits for it.
func (t *Target) StopScraper() {
	close(t.scraperStopping)
	<-t.scraperStopped
}

func (t *Target) scrape(app SampleAppender) error {
	t.RLock()
	app = t.wrapAppender(app)
	t.RUnlock()
	return app.Append("up", nil, 1)
}

// TargetManager runs one scraper goroutine per target.
type TargetManager struct {
	mtx     sync.Mutex
	targets []*Target
	app     SampleAppender
}

// Add starts scraping t.
func (tm *TargetManager) Add(t *Target) {
	tm.mtx.Lock()
	defer tm.mtx.Unlock()
	tm.targets = append(tm.targets, t)
	go t.RunScraper(tm.app)
}

// ApplyConfig updates every target on a config reload.
func (tm *TargetManager) ApplyConfig(cfg *ScrapeConfig, labels LabelSet) {
	tm.mtx.Lock()
	defer tm.mtx.Unlock()
	for _, t := range tm.targets {
		t.Update(cfg, labels)
	}
}
