// Upstream: https://github.com/minio/minio/pull/15313
// Project: minio/minio
// Bug: serverMain starts a goroutine that initialises the tier config and
// the tier deletion journal, assigning both results to serverMain's own
// `err` (captured by the func literal). serverMain goes on after the go
// statement and assigns `err` itself for the next init steps: the two
// goroutines write the same variable, a data race that made the functional
// tests fail under -race. (The marked line is serverMain's write after
// the go statement; the fix changed the goroutine's side.)
// Kind: race
// Want: GD601
package minio15313

import (
	"errors"
	"log"
)

type ObjectLayer interface {
	Healthy() error
}

type TierConfigMgr struct{ loaded bool }

func (t *TierConfigMgr) Init(objAPI ObjectLayer) error {
	return objAPI.Healthy()
}

type tierJournal struct{ path string }

func initTierDeletionJournal() (*tierJournal, error) {
	return &tierJournal{path: ".minio.sys/ilm/deletion-journal.bin"}, nil
}

type BucketMetadataSys struct{}

func (sys *BucketMetadataSys) Init(objAPI ObjectLayer) error {
	return objAPI.Healthy()
}

var (
	globalTierConfigMgr     = &TierConfigMgr{}
	globalBucketMetadataSys = &BucketMetadataSys{}
	errServerNotInitialized = errors.New("server not initialized")
)

// serverMain's init sequence, after the object layer is up.
func serverMain(newObject ObjectLayer) (*tierJournal, error) {
	var err error
	journal := make(chan *tierJournal, 1)
	go func() {
		if err = globalTierConfigMgr.Init(newObject); err != nil {
			log.Println(err)
		}

		var j *tierJournal
		j, err = initTierDeletionJournal()
		if err != nil {
			log.Fatalln("Unable to initialize remote tier pending deletes journal", err)
		}
		journal <- j
	}()

	// Initialize bucket metadata sub-system.
	if err = globalBucketMetadataSys.Init(newObject); err != nil { // BUG: the goroutine above assigns the same err
		return nil, errServerNotInitialized
	}
	return <-journal, nil
}
