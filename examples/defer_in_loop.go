package darkpatterns

// Pattern: defer inside a loop (seed, chapter 1 table).
// Deferred calls do not run at the end of the iteration and do not replace
// each other: they pile up and all run when the function returns. Here every
// file stays open until processAll returns, so a long list runs out of file
// descriptors.
// Fix: move the body into a function (or a func literal) so the defer runs
// per iteration, or close explicitly.

import "os"

func processAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // GD102: piles up until processAll returns
		_ = f
	}
	return nil
}

func processAllFixed(paths []string) error {
	for _, p := range paths {
		if err := processOne(p); err != nil {
			return err
		}
	}
	return nil
}

func processOne(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_ = f
	return nil
}
