package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
)

// Simulate gives, for a year of the Lào Cai calendar, exactly what
// planning at every pass gives: the same notices at the same passes.
func TestSimulateEqualsPlanningEveryPass(t *testing.T) {
	cfg, err := config.Load("../testdata/laocai-2019.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	ticks, _ := cron.ParseStandard(cfg.Schedule.SendAt)
	s := scheduler.PlanSettings{RemindDays: cfg.Schedule.RemindDays, AfterDays: cfg.Escalation.AfterDays,
		FocalPoint: cfg.Escalation.FocalPoint, Ticks: scheduler.CacheTicks(ticks), Location: cfg.Location, Calendar: cfg.Calendar}
	var items []hanchot.Item
	for _, y := range []int{2018, 2019, 2020} {
		for i, o := range scheduler.Occurrences(cfg.Calendar, y, wd, scheduler.DueOptions{SupportDays: 3}) {
			items = append(items, hanchot.Item{OccurrenceID: int64(y*10000 + i), Occurrence: o, Target: o.EffectiveDue})
		}
	}
	// A changed date, to cover corrections.
	items[100].Announced = items[100].Target.AddDays(-5)
	start := time.Date(2019, 3, 1, 0, 0, 0, 0, cfg.Location)
	end := time.Date(2019, 12, 31, 0, 0, 0, 0, cfg.Location)

	want := map[string]bool{}
	seen := map[hanchot.NoticeKey]bool{}
	for at := s.Ticks.Next(start.Add(-time.Second)); at.Before(end); at = s.Ticks.Next(at) {
		for _, n := range scheduler.Plan(items, at, wd, s) {
			if !seen[n.Key()] {
				seen[n.Key()] = true
				want[fmt.Sprintf("%s %v %d", at.Format(time.RFC3339), n.Key(), n.Days)] = true
			}
		}
	}
	got := map[string]bool{}
	scheduler.Simulate(items, start, end, wd, s, func(at time.Time, n hanchot.Notice) {
		got[fmt.Sprintf("%s %v %d", at.Format(time.RFC3339), n.Key(), n.Days)] = true
	})
	if len(want) < 1000 {
		t.Fatalf("only %d notices planned", len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missing from the simulation: %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("not planned at every pass: %s", k)
		}
	}
}
