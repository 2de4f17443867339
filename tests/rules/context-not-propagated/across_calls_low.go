package handlers

// Across calls, the shapes that are as often a design choice: low.

import (
	"context"
	"sync"
)

// An exported API without a context is a choice its callers live with.
func Snapshot() {
	consume(context.Background())
}

func takeSnapshot(ctx context.Context) {
	consume(ctx)
	Snapshot() // want "Snapshot makes its own context.Background\\(\\).*\\[low confidence\\]"
}

// also called from main-like code without a context: it serves both
func flushAll() {
	consume(context.Background())
}

func init() {
	flushAll()
}

func flushOnRequest(ctx context.Context) {
	consume(ctx)
	flushAll() // want "flushAll makes its own context.Background\\(\\).*\\[low confidence\\]"
}

// the context made is for a goroutine that outlives the call
func startPump() {
	go consume(context.Background())
}

func handleStart(ctx context.Context) {
	consume(ctx)
	startPump() // want "startPump makes its own context.Background\\(\\).*\\[low confidence\\]"
}

// the context made is stored: an object-lifetime context
type pump struct {
	ctx  context.Context // want "stored in field ctx of pump.*\\[low confidence\\]"
	once sync.Once
}

func (p *pump) arm() {
	p.ctx = context.Background()
}

func (p *pump) handle(ctx context.Context) {
	consume(ctx)
	p.arm() // want "pump.arm makes its own context.Background\\(\\).*\\[low confidence\\]"
}

// started in a goroutine by the caller: detached on purpose
func sweep() {
	consume(context.Background())
}

func handleSweep(ctx context.Context) {
	consume(ctx)
	go sweep() // want "sweep makes its own context.Background\\(\\).*\\[low confidence\\]"
}
