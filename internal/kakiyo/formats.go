package kakiyo

import (
	"fmt"
	"net/url"
	"strings"
)

// Kakiyo's value formats that users write by hand: working days, and
// LinkedIn profile URLs.

// dayNames are the week's days in the order of Kakiyo's working-days
// flags (Monday first), each with the names it is known by.
var dayNames = [7][]string{
	{"mon", "monday"}, {"tue", "tues", "tuesday"}, {"wed", "wednesday"}, {"thu", "thur", "thurs", "thursday"},
	{"fri", "friday"}, {"sat", "saturday"}, {"sun", "sunday"},
}

func dayIndex(name string) (int, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, names := range dayNames {
		for _, n := range names {
			if name == n {
				return i, true
			}
		}
	}
	return 0, false
}

// WorkingDays turns days written as names, ranges and commas ("mon-fri",
// "mon,wed,fri", "sat-sun", "fri-mon" across the weekend) into Kakiyo's
// seven 0/1 flags, Monday first ("1:1:1:1:1:0:0").
func WorkingDays(spec string) (string, error) {
	if strings.TrimSpace(spec) == "" {
		return "", fmt.Errorf("no days: write day names, ranges and commas, such as \"mon-fri\" or \"mon,wed,fri\"")
	}
	var on [7]bool
	for _, part := range strings.Split(spec, ",") {
		from, to, isRange := strings.Cut(part, "-")
		first, ok := dayIndex(from)
		if !ok {
			return "", fmt.Errorf("%q is not a day: use mon, tue, wed, thu, fri, sat, sun (or their full names), "+
				"ranges such as \"mon-fri\", and commas", strings.TrimSpace(from))
		}
		last := first
		if isRange {
			if last, ok = dayIndex(to); !ok {
				return "", fmt.Errorf("%q is not a day: use mon, tue, wed, thu, fri, sat, sun (or their full names), "+
					"ranges such as \"mon-fri\", and commas", strings.TrimSpace(to))
			}
		}
		for d := first; ; d = (d + 1) % 7 { // a range may wrap past Sunday
			on[d] = true
			if d == last {
				break
			}
		}
	}
	flags := make([]string, 7)
	for i, b := range on {
		flags[i] = "0"
		if b {
			flags[i] = "1"
		}
	}
	return strings.Join(flags, ":"), nil
}

// LinkedInProfileURL returns a LinkedIn profile URL in the one form that
// Kakiyo stores, https://linkedin.com/in/<slug>: from "in/<slug>",
// "linkedin.com/in/<slug>/", "https://www.linkedin.com/in/<Slug>?trk=...",
// a country subdomain ("fr.linkedin.com"), and so on. Slugs are not case
// sensitive: they are lowercased.
func LinkedInProfileURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("no URL: give a LinkedIn profile URL such as \"https://linkedin.com/in/jane-doe\"")
	}
	if !strings.Contains(s, "://") {
		if strings.HasPrefix(strings.ToLower(s), "in/") {
			s = "linkedin.com/" + s
		}
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a URL: give a LinkedIn profile URL such as \"https://linkedin.com/in/jane-doe\"", raw)
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme != "https" && u.Scheme != "http" || (host != "linkedin.com" && !strings.HasSuffix(host, ".linkedin.com")) {
		return "", fmt.Errorf("%q is not a LinkedIn URL: the host must be linkedin.com", raw)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 || strings.ToLower(parts[0]) != "in" || parts[1] == "" {
		return "", fmt.Errorf("%q is not a LinkedIn profile URL: its path must be /in/<profile>, as in "+
			"\"https://linkedin.com/in/jane-doe\" (company and other pages cannot be contacted)", raw)
	}
	return "https://linkedin.com/in/" + strings.ToLower(parts[1]), nil
}
