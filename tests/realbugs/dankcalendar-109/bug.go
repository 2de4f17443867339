// Upstream: https://github.com/AvengeMedia/dankcalendar/issues/109 (also AvengeMedia/DankMaterialShell#3361)
// Project: AvengeMedia/dankgo (package log), used by dankcalendar and DankMaterialShell
// Bug: GetLogger builds the singleton logger in the func it passes to
// initLogger.Do; when <PREFIX>_LOG_FILE is set, that func calls SetLogFile,
// and SetLogFile fetches the logger with GetLogger, which calls
// initLogger.Do again from inside the first Do. sync.Once holds its mutex
// while the func runs, so the program stops at its first log call
// ("all goroutines are asleep" when it is the only goroutine). The BUG
// line is the call made inside the Once func, not the second
// initLogger.Do two calls down.
// Kind: deadlock
// Want: GD403
package dankcalendar109

import (
	"io"
	"log"
	"os"
	"strings"
	"sync"
)

type Logger struct{ *log.Logger }

var (
	logger     *Logger
	initLogger sync.Once

	logMu     sync.Mutex
	logFile   *os.File
	logStderr io.Writer = os.Stderr

	envPrefix     = "DANK"
	displayPrefix = " go"
)

func SetEnvPrefix(prefix string) {
	if prefix == "" {
		return
	}
	envPrefix = strings.ToUpper(prefix)
	if logger == nil {
		return
	}
	ApplyEnvOverrides()
}

func fileEnv() string { return os.Getenv(envPrefix + "_LOG_FILE") }

func GetLogger() *Logger {
	initLogger.Do(func() {
		base := log.New(logStderr, displayPrefix+" ", log.LstdFlags)
		logger = &Logger{base}

		if path := fileEnv(); path != "" {
			_ = SetLogFile(path) // BUG: SetLogFile calls GetLogger, which calls initLogger.Do inside this Do
		}
	})
	return logger
}

// SetLogFile makes the logger append to path as well as stderr; "" detaches
// the file.
func SetLogFile(path string) error {
	logMu.Lock()
	defer logMu.Unlock()

	if logFile != nil {
		logFile.Close()
		logFile = nil
	}

	l := GetLogger()
	if path == "" {
		l.SetOutput(logStderr)
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	logFile = f
	l.SetOutput(io.MultiWriter(logStderr, f))
	return nil
}

// ApplyEnvOverrides re-reads <PREFIX>_LOG_FILE and reconfigures the
// singleton (called after the CLI flags rewrote the environment).
func ApplyEnvOverrides() {
	GetLogger()
	if path := fileEnv(); path != "" {
		if err := SetLogFile(path); err != nil {
			Warnf("Failed to open log file %q: %v", path, err)
		}
	}
}

func Infof(format string, v ...any) { GetLogger().Printf("INFO "+format, v...) }
func Warnf(format string, v ...any) { GetLogger().Printf("WARN "+format, v...) }
