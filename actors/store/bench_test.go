package store_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
)

// BenchmarkDurableSaves measures acknowledged (fsynced) ~2 KB character saves per
// second through the store actor onto bbolt, with many concurrent savers, and the save
// latency percentiles. Run: go test ./actors/store -run '^$' -bench DurableSaves -benchtime 1s
func BenchmarkDurableSaves(b *testing.B) {
	for _, savers := range []int{64, 256} {
		b.Run(fmt.Sprintf("savers=%d", savers), func(b *testing.B) {
			st, err := persistence.OpenBolt(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			sys := newSystem(b)
			pid := spawn(b, sys, st)
			recs := make([]*persistence.CharacterRecord, savers)
			for i := range recs {
				recs[i] = bigCharacter(fmt.Sprintf("bench%03d", i), 1)
			}
			if enc, _ := persistence.Encode(recs[0]); len(enc) < 1800 {
				b.Fatalf("record is %d bytes, want ~2 KB", len(enc))
			}
			var next atomic.Int64
			lat := make([][]time.Duration, savers)
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for i := range savers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						res, err := sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: recs[i]}, wait).Result()
						if err != nil || res.(*store.Saved).Err != nil {
							b.Errorf("save: %v %+v", err, res)
							return
						}
						lat[i] = append(lat[i], time.Since(t0))
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			all := slices.Concat(lat...)
			slices.Sort(all)
			if len(all) == 0 {
				return
			}
			pct := func(p float64) float64 {
				return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "saves/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}
