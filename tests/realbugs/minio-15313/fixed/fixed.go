// Upstream: https://github.com/minio/minio/pull/15313
// Project: minio/minio
// Fix: the goroutine declares its own err (`var err error`) instead of
// assigning the outer one (PR 15313).
package fixed

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
		var err error
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
	if err = globalBucketMetadataSys.Init(newObject); err != nil {
		return nil, errServerNotInitialized
	}
	return <-journal, nil
}
