package main

import "testing"

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live uint64
		want int
	}{
		{0, 100},
		{30 * mib, 100},
		{64 * mib, 100},
		{80 * mib, 80},
		{96 * mib, 65}, // 66.7 rounded down to a multiple of 5
		{128 * mib, 50},
		{160 * mib, 40},
		{300 * mib, 40},
	}
	for _, tt := range tests {
		if got := gcPercentFor(tt.live); got != tt.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tt.live/mib, got, tt.want)
		}
	}
}
