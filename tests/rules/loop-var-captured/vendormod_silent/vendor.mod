// vendor.mod: docker keeps its requirements here and has no go.mod.
module example.com/vendored

go 1.24.0
