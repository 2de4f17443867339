package defer_in_loop

// Issue 11, third round (cilium, minio: code the rule was never tuned on):
// the resource escapes the iteration through a wrapper or through a pointer
// into an outer collection; the look-alikes that do not escape still report.

import (
	"bufio"
	"io"
	"os"
	"os/exec"
)

type walkReader struct{ r *io.PipeReader }

func newWalkReader(r *io.PipeReader) *walkReader { return &walkReader{r: r} }

func digest(f *os.File) int { return 0 }

// Wrapped by a constructor whose result outlives the iteration (minio's
// readers[i] = newMetacacheReader(r)): closing at return is the point.
func listAll(disks []string) {
	readers := make([]*walkReader, len(disks))
	for i := range disks {
		r, w := io.Pipe()
		defer r.CloseWithError(io.EOF)
		readers[i] = newWalkReader(r)
		go func() { w.Close() }()
	}
	mergeReaders(readers)
}

func mergeReaders([]*walkReader) {}

// Wrapped, and the wrapper appended.
func bufferAll(paths []string) []*bufio.Reader {
	var out []*bufio.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		br := bufio.NewReader(f)
		out = append(out, br)
	}
	return out
}

// A call that only reads the resource is no wrapper: the file is unused
// after its iteration, and the pile-up is real.
func digestAll(paths []string) []int {
	sums := make([]int, len(paths))
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close() // want "defer of f.Close inside a loop: the deferred calls pile up"
		sums[i] = digest(f)
	}
	return sums
}

type progSpec struct{ target *os.File }

type collSpec struct{ progs map[string]*progSpec }

func loadColl(map[string]*collSpec) error { return nil }

// Stored in a field of a per-iteration pointer into an outer collection
// (cilium's progSpec.AttachTarget = targetProg, spec from specByTarget):
// the collection loaded after the loop uses it.
func loadAndPin(targets []string) error {
	specs := map[string]*collSpec{}
	for _, t := range targets {
		spec := specs[t]
		f, err := os.Open(t)
		if err != nil {
			return err
		}
		defer f.Close()
		var ps *progSpec
		if t == "pre" {
			ps = spec.progs["pre"]
		} else {
			ps = spec.progs["post"]
		}
		ps.target = f
	}
	return loadColl(specs)
}

// A field of a value made in the iteration (cmd.Stdout = f): the command
// runs in the iteration, the file is unused afterwards: reported.
func runAll(names []string) error {
	for _, n := range names {
		f, err := os.Create(n + ".log")
		if err != nil {
			return err
		}
		defer f.Close() // want "defer of f.Close inside a loop: the deferred calls pile up"
		cmd := exec.Command(n)
		cmd.Stdout = f
		if err := cmd.Run(); err != nil {
			return err
		}
	}
	return nil
}

type entry struct{ out *os.File }

// A struct value copied out of a slice: storing into the copy keeps
// nothing: reported.
func copyOut(entries []entry, names []string) {
	for i, n := range names {
		f, err := os.Create(n)
		if err != nil {
			return
		}
		defer f.Close() // want "defer of f.Close inside a loop: the deferred calls pile up"
		e := entries[i]
		e.out = f
		use(e)
	}
}

func use(entry) {}
