package hanchot

import _ "embed"

// ExampleConfig is config.example.toml, built in so that hanchot runs with
// no configuration file at all: SQLite in var/, mail as .eml files in
// var/outbox/.
//
//go:embed config.example.toml
var ExampleConfig []byte
