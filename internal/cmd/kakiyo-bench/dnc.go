package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// dncList measures a kakiyo_dnc_list of N profiles under Kakiyo's
// documented DNC limits (list and check 60 a minute, batch 10, delete 30),
// which the simulator enforces with 429s, with the provider's defaults.
func dncList(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	s.SetLatency(o.limitLatency)
	s.SetRateLimit(60) // and each DNC endpoint's own, lower limit
	// Others' entries, left alone.
	for i := range 40 {
		s.AddDNCOutOfBand("", fmt.Sprintf("in/partner-%d", i))
	}
	// Quoted for HCL, in two of the spellings Kakiyo accepts.
	urls := func(from, to int) []string {
		out := make([]string, 0, to-from)
		for i := from; i < to; i++ {
			spelling := []string{"https://www.linkedin.com/in/customer-%d/", "in/customer-%d"}[i%2]
			out = append(out, fmt.Sprintf("%q", fmt.Sprintf(spelling, i)))
		}
		return out
	}
	config := func(list []string) string {
		return providerConfig("") + "resource \"kakiyo_dnc_list\" \"customers\" {\n  urls = [\n    " +
			strings.Join(list, ",\n    ") + ",\n  ]\n}\n"
	}
	n := o.dncN
	type row struct {
		name string
		m    measured
	}
	var rows []row
	step := func(name string, list []string, args ...string) error {
		if err := sb.WriteFile("main.tf", config(list)); err != nil {
			return err
		}
		m := measureRun(ctx, s, sb, args...)
		rows = append(rows, row{name, m})
		return m.err
	}
	all := urls(0, n)
	changed := append(append([]string{}, all[2:]...), urls(n, n+10)...)
	fewer := changed[10:]
	steps := []struct {
		name string
		list []string
		args []string
	}{
		{fmt.Sprintf("create (`terraform apply`), %d profiles", n), all, []string{"apply", "-auto-approve"}},
		{"`terraform plan`, no change", all, []string{"plan", "-detailed-exitcode"}},
		{"add 10, remove 2 (`terraform apply`)", changed, []string{"apply", "-auto-approve"}},
		{"remove 10 (`terraform apply`)", fewer, []string{"apply", "-auto-approve"}},
	}
	for _, st := range steps {
		if err := step(st.name, st.list, st.args...); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	listed := len(s.DNCURLs())
	r.f("\n## A kakiyo_dnc_list of %d profiles under Kakiyo's DNC limits\n\n", n)
	r.f("The simulator enforces Kakiyo's documented limits (listing 60 requests a minute, batch 10, delete 30) with "+
		"429s and adds %s of latency; 40 entries of others are listed too. The provider runs with its defaults. "+
		"Every run refreshes.\n\n", o.limitLatency)
	r.f("| Run | Wall time | API calls | Detail | 429s |\n|---|---:|---:|---|---:|\n")
	for _, row := range rows {
		r.f("| %s | %s | %d | %s | %d |\n", row.name, secs(row.m.d), row.m.total, breakdown(row.m.calls), row.m.r429)
	}
	perMinute := 30
	r.f("\nEntries listed at the end: %d (%d of the resource, 40 of others). A destroy of the %d profiles would "+
		"cost the refresh, one listing and %d `DELETE /dnc/{id}`: at Kakiyo's %d a minute, %s (not run; the limit "+
		"is Kakiyo's, and the provider keeps to it).\n", listed, listed-40, len(fewer), len(fewer), perMinute,
		(time.Duration(len(fewer)) * time.Minute / time.Duration(perMinute)).Round(time.Second))
	return nil
}
