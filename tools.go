//go:build tools

// Package tools pins dependencies that packages under construction will import.
// Remove an import here once real code imports it.
package tools

import (
	_ "github.com/HdrHistogram/hdrhistogram-go"
	_ "github.com/asynkron/protoactor-go/actor"
	_ "github.com/klauspost/compress/flate"
	_ "github.com/rs/zerolog"
	_ "github.com/vmihailenco/msgpack/v5"
	_ "go.etcd.io/bbolt"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/crypto/bcrypt"
)
