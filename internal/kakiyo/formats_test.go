package kakiyo

import (
	"strings"
	"testing"
)

func TestWorkingDays(t *testing.T) {
	for in, want := range map[string]string{
		"mon-fri":          "1:1:1:1:1:0:0",
		"mon,wed,fri":      "1:0:1:0:1:0:0",
		"sat-sun":          "0:0:0:0:0:1:1",
		" Mon - Thu , Sat": "1:1:1:1:0:1:0",
		"fri-mon":          "1:0:0:0:1:1:1",
		"sunday":           "0:0:0:0:0:0:1",
		"tues,thurs":       "0:1:0:1:0:0:0",
		"mon-sun":          "1:1:1:1:1:1:1",
		"wed-wed":          "0:0:1:0:0:0:0",
		"mon,mon-tue":      "1:1:0:0:0:0:0",
	} {
		if got, err := WorkingDays(in); err != nil || got != want {
			t.Errorf("WorkingDays(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"":          "no days",
		"weekdays":  `"weekdays" is not a day`,
		"mon-":      `"" is not a day`,
		"mon,,fri":  `"" is not a day`,
		"1:1:1":     `"1:1:1" is not a day`,
		"mon-frida": `"frida" is not a day`,
	} {
		if got, err := WorkingDays(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("WorkingDays(%q) = %q, %v; want an error with %q", in, got, err, want)
		}
	}
}

func TestLinkedInProfileURL(t *testing.T) {
	const jane = "https://linkedin.com/in/jane-doe"
	for _, in := range []string{
		"in/jane-doe", "linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/Jane-Doe",
		"http://linkedin.com/in/jane-doe?trk=public", "https://fr.linkedin.com/in/jane-doe/#about",
		"  www.linkedin.com/in/JANE-DOE  ", "IN/jane-doe", jane,
	} {
		if got, err := LinkedInProfileURL(in); err != nil || got != jane {
			t.Errorf("LinkedInProfileURL(%q) = %q, %v; want %q", in, got, err, jane)
		}
	}
	for in, want := range map[string]string{
		"":                                    "no URL",
		"https://example.com/in/jane":         "not a LinkedIn URL",
		"https://linkedin.com.evil.com/in/x":  "not a LinkedIn URL",
		"https://linkedin.com/company/kakiyo": "not a LinkedIn profile URL",
		"https://linkedin.com/in/":            "not a LinkedIn profile URL",
		"https://linkedin.com/in/jane/detail": "not a LinkedIn profile URL",
		"ftp://linkedin.com/in/jane":          "not a LinkedIn URL",
		"jane-doe":                            "not a LinkedIn URL",
	} {
		if got, err := LinkedInProfileURL(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LinkedInProfileURL(%q) = %q, %v; want an error with %q", in, got, err, want)
		}
	}
}

func FuzzLinkedInProfileURL(f *testing.F) {
	f.Add("https://www.linkedin.com/in/Jane-Doe/")
	f.Add("in/x")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := LinkedInProfileURL(in)
		if err != nil {
			return
		}
		// The form Kakiyo stores is a fixed point.
		if again, err := LinkedInProfileURL(got); err != nil || again != got {
			t.Fatalf("%q -> %q -> %q, %v", in, got, again, err)
		}
	})
}
