// Upstream: https://github.com/pingcap/tidb/issues/32656 (fix: https://github.com/pingcap/tidb/pull/32757)
// Project: pingcap/tidb
// Fix: "Check context when waiting for the channel": the send on e.taskList
// is a select that also returns on ctx.Done().
package fixed

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
		select {
		case <-ctx.Done():
			return
		case e.taskList <- t:
		}
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
