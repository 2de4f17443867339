// Upstream: https://github.com/mcuadros/go-defaults/pull/17
// Project: mcuadros/go-defaults
// Bug: SetDefaults builds the package's default Filler lazily: the first
// call that finds `filler` nil creates it and assigns the package variable,
// with no synchronisation. The package is used from concurrent web
// requests, so two first calls race on the variable (read by one, written
// by the other), which the race detector reported.
// Kind: race
// Want: GD601
package godefaults17

import (
	"reflect"
	"strconv"
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

var filler *Filler

// SetDefaults applies the default values to the struct object, the struct
// type must have the StructTag with name "default" and the directed value.
func SetDefaults(variable interface{}) {
	getDefaultFiller().Fill(variable)
}

func getDefaultFiller() *Filler {
	if filler == nil {
		filler = newDefaultFiller() // BUG: unsynchronised lazy init; concurrent first calls read and write filler
	}

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
