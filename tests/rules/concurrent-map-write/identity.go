package concurrent_map_write

import "sync"

type Site struct {
	DeploymentID string
	Name         string
}

func localID() string { return "local" }

// minio's site replication: the goroutine under `if v.DeploymentID ==
// localID()` serves the element of that identity, usually the one local
// site, so its writes racing with its own copies are low; its race with
// the peers' goroutines (another go statement of the loop) stays high.
func RemoveSites(sites []Site, remove func(Site) error) map[string]error {
	var wg sync.WaitGroup
	errs := make(map[string]error)
	for _, v := range sites {
		wg.Add(1)
		if v.DeploymentID == localID() {
			go func() {
				defer wg.Done()
				errs[localID()] = remove(v) // want "map errs is written by every goroutine the loop starts at line 22, with no lock: .* \\[low confidence\\]$"
			}()
			continue
		}
		go func(s Site) {
			defer wg.Done()
			errs[s.DeploymentID] = remove(s) // want "map errs is written by every goroutine the loop starts at line 28, with no lock" "map errs is written by the goroutine started at line 22 \\(line 24\\) and written here by the goroutine started at line 28"
		}(v)
	}
	wg.Wait()
	return errs
}

// Compared with another field of the same element, or with the loop's
// own changing value: nothing picks one element.
func ByOwnField(sites []Site, remove func(Site) error) map[string]error {
	var wg sync.WaitGroup
	errs := make(map[string]error)
	for _, v := range sites {
		if v.DeploymentID == v.Name {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[v.Name] = remove(v) // want "map errs is written by every goroutine the loop starts at line 45, with no lock: the runtime aborts with \"fatal error: concurrent map writes\", which recover cannot catch$"
			}()
		}
	}
	wg.Wait()
	return errs
}
