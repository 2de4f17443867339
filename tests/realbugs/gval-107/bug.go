// Upstream: https://github.com/PaesslerAG/gval/pull/107
// Project: PaesslerAG/gval (functions.go, language.go, evaluable.go)
// Bug: Function(name, f) registers a user function in a Language; when an
// expression calls it, the parser wraps f with toFunc, which returns a
// closure (a `function` value) that runs f on a new goroutine and waits in
// a select for either the result on the unbuffered errCh or the evaluation
// context's Done. callFunc stores that closure in the Evaluable it returns.
// When the context is cancelled or times out before f returns, the closure
// returns ctx.Err() and nobody receives from errCh again: the goroutine
// blocks on `errCh <- err` (or on the send in its recover handler) forever,
// one per timed-out evaluation. The expression parser is reduced here to a
// call of one registered function with constant arguments, and the
// closure's deferred recover, which sends a panic of f on errCh instead of
// the result, is left out (see the README notes).
// Kind: leak
// Want: GD103
package gval107

import (
	"context"
	"fmt"
)

// Evaluable evaluates given parameter
type Evaluable func(c context.Context, parameter interface{}) (interface{}, error)

type function func(ctx context.Context, arguments ...interface{}) (interface{}, error)

func toFunc(f interface{}) function {
	if f, ok := f.(func(arguments ...interface{}) (interface{}, error)); ok {
		return function(func(ctx context.Context, arguments ...interface{}) (interface{}, error) {
			var v interface{}
			errCh := make(chan error)
			go func() {
				result, err := f(arguments...)
				v = result
				errCh <- err // BUG: the select below returned on ctx.Done(); nobody receives any more
			}()

			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case err := <-errCh:
				return v, err
			}
		})
	}
	if f, ok := f.(func(ctx context.Context, arguments ...interface{}) (interface{}, error)); ok {
		return function(f)
	}
	return func(ctx context.Context, arguments ...interface{}) (interface{}, error) {
		return nil, fmt.Errorf("unsupported function type %T", f)
	}
}

// Parser holds the arguments of the call being parsed.
type Parser struct {
	args []Evaluable
}

func (*Parser) callFunc(fun function, args ...Evaluable) Evaluable {
	return func(c context.Context, v interface{}) (ret interface{}, err error) {
		a := make([]interface{}, len(args))
		for i, arg := range args {
			ai, err := arg(c, v)
			if err != nil {
				return nil, err
			}
			a[i] = ai
		}
		return fun(c, a...)
	}
}

// Language is an expression language.
type Language struct {
	prefixes map[string]func(c context.Context, p *Parser) (Evaluable, error)
}

func newLanguage() Language {
	return Language{prefixes: map[string]func(c context.Context, p *Parser) (Evaluable, error){}}
}

// Function returns a Language with given function.
func Function(name string, function interface{}) Language {
	l := newLanguage()
	l.prefixes[name] = func(c context.Context, p *Parser) (eval Evaluable, err error) {
		return p.callFunc(toFunc(function), p.args...), nil
	}
	return l
}

// NewEvaluable parses a call of the function name with constant arguments.
func (l Language) NewEvaluable(name string, args ...interface{}) (Evaluable, error) {
	prefix, ok := l.prefixes[name]
	if !ok {
		return nil, fmt.Errorf("unknown function %s", name)
	}
	p := &Parser{}
	for _, a := range args {
		a := a
		p.args = append(p.args, func(context.Context, interface{}) (interface{}, error) { return a, nil })
	}
	return prefix(context.Background(), p)
}

// EvaluateWithContext evaluates the call under c, which may time out.
func (l Language) EvaluateWithContext(c context.Context, name string, parameter interface{}, args ...interface{}) (interface{}, error) {
	eval, err := l.NewEvaluable(name, args...)
	if err != nil {
		return nil, err
	}
	return eval(c, parameter)
}
