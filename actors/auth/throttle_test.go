package auth

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleTable(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	th := newThrottle(3, time.Minute, 4)
	for range 3 {
		th.fail("a", t0)
	}
	if !th.blocked("a", t0) {
		t.Fatal("3 failures do not block")
	}
	if th.blocked("a", t0.Add(time.Minute)) {
		t.Fatal("still blocked after the window")
	}
	if th.len() != 0 {
		t.Fatalf("expired entry kept on use: %d entries", th.len())
	}
	// Sliding window: old failures age out one by one.
	th.fail("b", t0)
	th.fail("b", t0.Add(30*time.Second))
	th.fail("b", t0.Add(50*time.Second))
	if !th.blocked("b", t0.Add(55*time.Second)) || th.blocked("b", t0.Add(61*time.Second)) {
		t.Fatal("sliding window wrong")
	}
	// Bounded: the least recently failed entry is evicted.
	for i := range 10 {
		th.fail(fmt.Sprint("k", i), t0.Add(time.Duration(i)*time.Second))
	}
	if th.len() != 4 {
		t.Fatalf("table holds %d entries, bound 4", th.len())
	}
	if _, ok := th.byKey["k5"]; ok {
		t.Error("old entry not evicted")
	}
	th.prune(t0.Add(time.Minute + 6500*time.Millisecond)) // k6 (t0+6s) expired; k7..k9 live
	if th.len() != 3 {
		t.Fatalf("after prune %d entries, want 3", th.len())
	}
	th.reset("k9")
	th.fail("", t0) // empty keys are not tracked
	if th.len() != 2 {
		t.Fatalf("after reset %d entries, want 2", th.len())
	}
}
