// Upstream: https://github.com/mcuadros/go-defaults/pull/17
// Project: mcuadros/go-defaults
// Fix: the PR (still open upstream) builds the filler once, through a
// package sync.Once.
package fixed

import (
	"reflect"
	"strconv"
	"sync"
)

// FillerFunc sets a field from its default tag.
type FillerFunc func(field reflect.Value, tag string)

// Filler contains all the functions to fill any struct field with any type
// allowing to define function by Kind, Type of field name
type Filler struct {
	FuncByKind map[reflect.Kind]FillerFunc
	Tag        string
}

// Fill apply all the functions contained on Filler, setting all the possible
// values
func (f *Filler) Fill(variable interface{}) {
	fields := reflect.ValueOf(variable).Elem()
	for i := 0; i < fields.NumField(); i++ {
		tag := fields.Type().Field(i).Tag.Get(f.Tag)
		if tag == "" {
			continue
		}
		if fn, ok := f.FuncByKind[fields.Field(i).Kind()]; ok {
			fn(fields.Field(i), tag)
		}
	}
}

var (
	filler     *Filler
	fillerOnce sync.Once
)

// SetDefaults applies the default values to the struct object, the struct
// type must have the StructTag with name "default" and the directed value.
func SetDefaults(variable interface{}) {
	getDefaultFiller().Fill(variable)
}

func getDefaultFiller() *Filler {
	fillerOnce.Do(func() {
		filler = newDefaultFiller()
	})

	return filler
}

func newDefaultFiller() *Filler {
	funcs := make(map[reflect.Kind]FillerFunc, 0)
	funcs[reflect.Int] = func(field reflect.Value, tag string) {
		value, _ := strconv.ParseInt(tag, 10, 64)
		field.SetInt(value)
	}
	funcs[reflect.String] = func(field reflect.Value, tag string) {
		field.SetString(tag)
	}
	return &Filler{FuncByKind: funcs, Tag: "default"}
}
