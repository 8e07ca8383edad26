package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/sim"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"--addr", "127.0.0.1:4001", "--players", "300", "--rate", "0.5", "--ramp", "50",
		"--duration", "90s", "--profile", "walker", "--seed", "9", "--json", "out.json", "--password", "hunter22",
		"--connect-only", "--timeout", "3s", "--global-rate", "7", "--cpuprofile", "cpu.prof"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := o.cfg
	if c.Addr != "127.0.0.1:4001" || c.Players != 300 || c.Rate != 0.5 || c.Ramp != 50 || c.Duration != 90*time.Second ||
		c.Profile != "walker" || c.Seed != 9 || o.jsonPath != "out.json" || c.Password != "hunter22" || !c.ConnectOnly ||
		c.Timeout != 3*time.Second || c.GlobalRate != 7 || o.cpuProf != "cpu.prof" {
		t.Errorf("parsed %+v, json %q, cpu profile %q", c, o.jsonPath, o.cpuProf)
	}
	if _, err := parseFlags(nil, io.Discard); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
}

func TestParseFlagsRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "10.1.2.3:4000"},
		{"--players", "50001"},
		{"--players", "0"},
		{"--duration", "2h"},
		{"--rate", "-1"},
		{"--ramp", "0"},
		{"--timeout", "0s"},
		{"--profile", "nope"},
		{"--password", "short"},
		{"--seed", "-5"},
		{"--players", "ten"},
		{"stray"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	if _, err := parseFlags([]string{"--addr", "10.1.2.3:4000", "--allow-remote"}, io.Discard); err != nil {
		t.Errorf("--allow-remote refused: %v", err)
	}
	if _, err := parseFlags([]string{"--players", "0"}, io.Discard); !errors.Is(err, sim.ErrConfig) {
		t.Errorf("err = %v, want sim.ErrConfig", err)
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, errHelp) {
		t.Errorf("-h: err = %v, want errHelp", err)
	}
}

// TestCPUProfile checks that --cpuprofile leaves a non-empty profile.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop, err := startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("profile %s: %v, %v", path, fi, err)
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "missing", "cpu.prof")); err == nil {
		t.Error("a profile in a missing directory was accepted")
	}
}
