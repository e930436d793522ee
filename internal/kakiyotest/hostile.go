package kakiyotest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A hostile world around Kakiyo: what proxies, wrong base URLs and
// redirects answer instead of Kakiyo, for tests that check that the
// provider loses nothing, buys nothing twice and sends no secret elsewhere.
// Each is a Fault for InjectFault (or a server beside the double); none
// knows a Kakiyo object.

// HTMLNotFound is a proxy's 404 page (nginx in front of Kakiyo): not
// Kakiyo's answer, whatever the path.
var HTMLNotFound = Fault{Status: http.StatusNotFound, Header: map[string]string{"Content-Type": "text/html"},
	Body: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n" +
		"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"}

// EmptyNotFound is a 404 without a body.
var EmptyNotFound = Fault{Status: http.StatusNotFound, Header: map[string]string{"Content-Type": "text/plain"}}

// NotFoundAsOK is Kakiyo's not_found error body under HTTP 200: a 2xx that
// is not the object.
var NotFoundAsOK = Fault{Status: http.StatusOK, Body: `{"error":"not_found","message":"Agent not found"}`}

// HTMLPortal is a captive portal's or a proxy's 200 page.
var HTMLPortal = Fault{Status: http.StatusOK, Header: map[string]string{"Content-Type": "text/html"},
	Body: "<!DOCTYPE html><html><body><h1>Sign in to the network</h1></body></html>"}

// AnsweredNotTheObject handles a create normally (Kakiyo makes the object)
// and answers with body under status: an answer that is not the new object.
func AnsweredNotTheObject(status int, body string) Fault {
	return Fault{Status: status, Body: body, AfterHandling: true}
}

// RedirectTo answers with a redirect (status, e.g. 307) to base+path, as a
// misconfigured proxy might: a client that follows it sends the request,
// body included, there.
func RedirectTo(status int, location string) Fault {
	return Fault{Status: status, Header: map[string]string{"Location": location}}
}

// Foreign is a server on 127.0.0.1 that is not Kakiyo: it records every
// request it gets (headers and body), so that a test can assert that no
// secret reached it. It answers 200 with a plausible body.
type Foreign struct {
	HTTP *httptest.Server
	mu   sync.Mutex
	seen []string // each request: method, path, headers and body, as text
}

// StartForeign starts a Foreign server, closed when the test ends.
func StartForeign(t testing.TB) *Foreign {
	t.Helper()
	f := &Foreign{}
	f.HTTP = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var b strings.Builder
		b.WriteString(r.Method + " " + r.URL.String() + "\n")
		for k, vs := range r.Header {
			b.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
		}
		b.Write(body)
		f.mu.Lock()
		f.seen = append(f.seen, b.String())
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"foreign000000000000001","status":"running","message":"ok"}`)
	}))
	t.Cleanup(f.HTTP.Close)
	return f
}

// Requests is how many requests the server got.
func (f *Foreign) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

// Saw reports whether any request carried secret (in a header, the URL or
// the body).
func (f *Foreign) Saw(secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.seen {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}
