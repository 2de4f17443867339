// Upstream: https://github.com/PaesslerAG/gval/pull/107
// Project: PaesslerAG/gval (functions.go, language.go, evaluable.go)
// Fix: errCh gets a buffer of one, so the goroutine's single send completes
// whether or not the select is still waiting (PR 107, commit 713faca). The
// commit also closes errCh in the receiving case; that close is left out
// here (it changes nothing for the leak; see the README notes), and, as in
// bug.go, so is the deferred recover that sends a panic of f on errCh.
package fixed

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
			errCh := make(chan error, 1)
			go func() {
				result, err := f(arguments...)
				v = result
				errCh <- err
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
