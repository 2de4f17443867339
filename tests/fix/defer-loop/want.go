package fixcase

import (
	"os"
	"strings"
)

// The files stay open until the function returns: the fix closes each at
// the end of its iteration.
func CountLines(paths []string) (int, error) {
	n := 0
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
			buf := make([]byte, 4096)
			for {
				k, err := f.Read(buf)
				n += strings.Count(string(buf[:k]), "\n")
				if err != nil {
					break
				}
			}
		}()
	}
	return n, nil
}

// Not wrapped: the body returns from the function.
func FirstNonEmpty(paths []string) string {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return ""
		}
		defer f.Close()
		st, _ := f.Stat()
		if st.Size() > 0 {
			return p
		}
	}
	return ""
}
