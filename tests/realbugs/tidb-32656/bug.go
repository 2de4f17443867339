// Upstream: https://github.com/pingcap/tidb/issues/32656 (fix: https://github.com/pingcap/tidb/pull/32757)
// Project: pingcap/tidb
// Bug: initializeAsyncParsing starts parseSlowLog, which pushes every task
// into e.taskList. When the query is cancelled, dataForSlowLog stops
// receiving from e.taskList, and parseSlowLog is stuck on `e.taskList <- t`
// forever ("chan send, 9 minutes").
// Kind: leak
// Want: GD109
package tidb32656

import "context"

type parsedSlowLog struct {
	rows []string
	err  error
}

type slowLogTask struct {
	resultCh chan parsedSlowLog
}

type slowQueryRetriever struct {
	taskList chan slowLogTask
	logs     [][]string
}

func (e *slowQueryRetriever) initializeAsyncParsing(ctx context.Context) {
	e.taskList = make(chan slowLogTask, 1)
	go e.parseDataForSlowLog(ctx)
}

func (e *slowQueryRetriever) parseDataForSlowLog(ctx context.Context) {
	e.parseSlowLog(ctx)
}

func (e *slowQueryRetriever) parseSlowLog(ctx context.Context) {
	defer close(e.taskList)
	for _, log := range e.logs {
		t := slowLogTask{resultCh: make(chan parsedSlowLog, 1)}
		e.taskList <- t // BUG: blocks forever once the reader was cancelled
		go func(log []string) {
			t.resultCh <- parsedSlowLog{rows: log}
		}(log)
	}
}

func (e *slowQueryRetriever) dataForSlowLog(ctx context.Context) ([]string, error) {
	select {
	case task, ok := <-e.taskList:
		if !ok {
			return nil, nil
		}
		res := <-task.resultCh
		return res.rows, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
