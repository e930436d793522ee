package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// testKey is an RSA key like the ones the Terraform Registry accepts, and
// its ASCII-armored public part.
func testKey(t *testing.T, name string) (*openpgp.Entity, []byte) {
	t.Helper()
	e, err := openpgp.NewEntity(name, "test", "release@example.com", &packet.Config{Algorithm: packet.PubKeyAlgoRSA, RSABits: 2048})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return e, buf.Bytes()
}

// testPlatforms are the platforms of the test releases: this machine's (so
// that terraform init can install it) and two others.
var testPlatforms = func() []string {
	ps := []string{"darwin_arm64", "linux_amd64", "windows_amd64"}
	if p := runtime.GOOS + "_" + runtime.GOARCH; !slices.Contains(ps, p) {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}()

// writeRelease writes what goreleaser writes for provider typ at version
// into dir: a zip per platform (holding terraform-provider-<typ>_v<version>),
// an archive of another program, the manifest, SHA256SUMS of all of them
// and its detached signature by signer. It returns the checksums by file.
func writeRelease(t *testing.T, dir, typ, version string, manifest bool, signer *openpgp.Entity) map[string]string {
	t.Helper()
	prefix := "terraform-provider-" + typ + "_" + version + "_"
	sums := map[string]string{}
	add := func(name string, content []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(content)
		sums[name] = hex.EncodeToString(h[:])
	}
	zipped := func(name string, content string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		hdr := &zip.FileHeader{Name: name, Method: zip.Deflate}
		hdr.SetMode(0o755)
		f, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, content); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, p := range testPlatforms {
		add(prefix+p+".zip", zipped("terraform-provider-"+typ+"_v"+version, "#!/bin/sh\necho "+p+"\n"))
		add("other-tool_"+version+"_"+p+".zip", zipped("other-tool", p))
	}
	if manifest {
		add(prefix+"manifest.json", []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`))
	}
	var lines strings.Builder
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		fmt.Fprintf(&lines, "%s  %s\n", sums[name], name)
	}
	sumsName := "terraform-provider-" + typ + "_" + version + "_SHA256SUMS"
	if err := os.WriteFile(filepath.Join(dir, sumsName), []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, signer, strings.NewReader(lines.String()), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sumsName+".sig"), sig.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return sums
}

func getJSON(t *testing.T, c *http.Client, url string, into any) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode
}

func TestRegistryProtocol(t *testing.T) {
	logOutput = io.Discard
	dir := t.TempDir()
	signer, armored := testKey(t, "signer")
	sums := writeRelease(t, dir, "demo", "0.1.0", true, signer)
	writeRelease(t, dir, "demo", "0.2.0", false, signer)
	writeRelease(t, dir, "other", "1.0.0", true, signer) // another provider of the namespace
	reg, err := load(dir, "acme", armored, loadOptions{verifySignature: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(reg.handler())
	defer srv.Close()
	c := srv.Client()

	var disco map[string]string
	if code := getJSON(t, c, srv.URL+"/.well-known/terraform.json", &disco); code != 200 || disco["providers.v1"] != "/v1/providers/" {
		t.Errorf("discovery: %d %v", code, disco)
	}

	var versions struct {
		Versions []struct {
			Version   string
			Protocols []string
			Platforms []struct{ OS, Arch string }
		}
	}
	if code := getJSON(t, c, srv.URL+"/v1/providers/acme/demo/versions", &versions); code != 200 {
		t.Fatalf("versions: %d", code)
	}
	if len(versions.Versions) != 2 {
		t.Fatalf("versions: %+v", versions)
	}
	for i, want := range []struct {
		version, protocol string
	}{{"0.1.0", "6.0"}, {"0.2.0", "5.0"}} {
		v := versions.Versions[i]
		var platforms []string
		for _, p := range v.Platforms {
			platforms = append(platforms, p.OS+"_"+p.Arch)
		}
		if v.Version != want.version || !slices.Equal(v.Protocols, []string{want.protocol}) || !slices.Equal(platforms, testPlatforms) {
			t.Errorf("version %d: got %+v, want %s with protocol %s on %v", i, v, want.version, want.protocol, testPlatforms)
		}
	}

	var others struct{ Versions []struct{ Version string } }
	if code := getJSON(t, c, srv.URL+"/v1/providers/acme/other/versions", &others); code != 200 ||
		len(others.Versions) != 1 || others.Versions[0].Version != "1.0.0" {
		t.Errorf("versions of acme/other: %d %+v", code, others)
	}

	var dl downloadAnswer
	if code := getJSON(t, c, srv.URL+"/v1/providers/acme/demo/0.1.0/download/linux/amd64", &dl); code != 200 {
		t.Fatalf("download: %d", code)
	}
	zipName := "terraform-provider-demo_0.1.0_linux_amd64.zip"
	want := downloadAnswer{
		Protocols: []string{"6.0"}, OS: "linux", Arch: "amd64", Filename: zipName,
		DownloadURL:         srv.URL + "/files/" + zipName,
		SHASumsURL:          srv.URL + "/files/terraform-provider-demo_0.1.0_SHA256SUMS",
		SHASumsSignatureURL: srv.URL + "/files/terraform-provider-demo_0.1.0_SHA256SUMS.sig",
		SHASum:              sums[zipName],
	}
	want.SigningKeys.GPGPublicKeys = []gpgPublicKey{{KeyID: fmt.Sprintf("%016X", signer.PrimaryKey.KeyId), ASCIIArmor: string(armored)}}
	gotJSON, _ := json.Marshal(dl)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("download answer:\n got %s\nwant %s", gotJSON, wantJSON)
	}

	// What the answer points to is what the directory holds, and the
	// signature verifies the checksums with the key it names.
	fetch := func(url string) []byte {
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", url, resp.StatusCode)
		}
		return body
	}
	pkg := sha256.Sum256(fetch(dl.DownloadURL))
	if hex.EncodeToString(pkg[:]) != dl.SHASum {
		t.Errorf("the package's checksum is not the shasum of the answer")
	}
	keyring, err := openpgp.ReadArmoredKeyRing(strings.NewReader(dl.SigningKeys.GPGPublicKeys[0].ASCIIArmor))
	if err != nil {
		t.Fatal(err)
	}
	sumsBody := fetch(dl.SHASumsURL)
	if _, err := openpgp.CheckDetachedSignature(keyring, bytes.NewReader(sumsBody), bytes.NewReader(fetch(dl.SHASumsSignatureURL)), nil); err != nil {
		t.Errorf("signature: %v", err)
	}
	if !strings.Contains(string(sumsBody), dl.SHASum+"  "+zipName+"\n") {
		t.Errorf("SHA256SUMS lacks the package:\n%s", sumsBody)
	}

	for _, path := range []string{
		"/v1/providers/other/demo/versions",
		"/v1/providers/acme/nope/versions",
		"/v1/providers/acme/demo/9.9.9/download/linux/amd64",
		"/v1/providers/acme/demo/0.1.0/download/plan9/amd64",
		"/files/signing-key.asc",
		"/files/..%2fetc%2fpasswd",
		"/v2/anything",
	} {
		var e struct{ Errors []string }
		if code := getJSON(t, c, srv.URL+path, &e); code != 404 || len(e.Errors) != 1 {
			t.Errorf("GET %s: %d %v, want 404 with one error", path, code, e)
		}
	}
	hits := reg.Hits()
	if hits["GET /v1/providers/acme/demo/versions 200"] != 1 || hits["GET /files/"+zipName+" 200"] != 1 || hits["GET /v2/anything 404"] != 1 {
		t.Errorf("hits: %v", hits)
	}
}

func TestRegistryRefusesABadRelease(t *testing.T) {
	signer, armored := testKey(t, "signer")
	other, _ := testKey(t, "someone else")
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  string
	}{
		{"a package differs from its checksum", func(t *testing.T, dir string) {
			writeRelease(t, dir, "demo", "0.1.0", true, signer)
			name := filepath.Join(dir, "terraform-provider-demo_0.1.0_windows_amd64.zip")
			if err := os.WriteFile(name, []byte("not the package"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "terraform-provider-demo_0.1.0_windows_amd64.zip has SHA-256"},
		{"another key signed", func(t *testing.T, dir string) {
			writeRelease(t, dir, "demo", "0.1.0", true, other)
		}, "does not verify with key"},
		{"no signature", func(t *testing.T, dir string) {
			writeRelease(t, dir, "demo", "0.1.0", true, signer)
			if err := os.Remove(filepath.Join(dir, "terraform-provider-demo_0.1.0_SHA256SUMS.sig")); err != nil {
				t.Fatal(err)
			}
		}, "the signature: open"},
		{"a listed file is missing", func(t *testing.T, dir string) {
			writeRelease(t, dir, "demo", "0.1.0", true, signer)
			if err := os.Remove(filepath.Join(dir, "terraform-provider-demo_0.1.0_manifest.json")); err != nil {
				t.Fatal(err)
			}
		}, "manifest.json: no such file"},
		{"no release", func(*testing.T, string) {}, "no terraform-provider-*_SHA256SUMS file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.spoil(t, dir)
			_, err := load(dir, "acme", armored, loadOptions{verifySignature: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// serveTLS serves reg over HTTPS with the certificate the command makes,
// and returns its URL and a file with the authority's certificate.
func serveTLS(t *testing.T, reg *registry) (string, string) {
	t.Helper()
	cert, caPEM, err := loopbackCertificate()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(reg.handler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	reg.baseURL = srv.URL
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, caFile
}

// The Terraform CLI (or OpenTofu, with TF_ACC_PROVIDER_HOST) installs a
// release from the registry by its public source address, checks the
// signature, and locks every platform's checksum; a release signed by
// another key than the registry names is refused.
func TestCLIInstallsFromTheRegistry(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to run the CLI against the registry")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform (or OpenTofu) CLI")
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	logOutput = io.Discard
	signer, armored := testKey(t, "signer")
	other, _ := testKey(t, "someone else")

	var sums map[string]string // of the release 0.1.0
	run := func(t *testing.T, signedBy *openpgp.Entity, args ...string) (string, string, error) {
		t.Helper()
		dist, work := t.TempDir(), t.TempDir()
		sums = writeRelease(t, dist, "demo", "0.1.0", true, signedBy)
		writeRelease(t, dist, "demo", "0.2.0", true, signedBy)
		reg, err := load(dist, "acme", armored, loadOptions{verifySignature: false})
		if err != nil {
			t.Fatal(err)
		}
		url, caFile := serveTLS(t, reg)
		rc := filepath.Join(work, "cli.tfrc")
		cfg := fmt.Sprintf("host %q {\n  services = { \"providers.v1\" = %q }\n}\n", host, url+"/v1/providers/")
		main := "terraform {\n  required_providers {\n    demo = { source = \"acme/demo\", version = \"~> 0.1.0\" }\n  }\n}\n"
		for name, content := range map[string]string{rc: cfg, filepath.Join(work, "main.tf"): main} {
			if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		var lastErr error
		for _, a := range [][]string{{"init", "-input=false", "-no-color"}, args} {
			if len(a) == 0 {
				continue
			}
			cmd := exec.Command(cli, a...)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "SSL_CERT_FILE="+caFile, "CHECKPOINT_DISABLE=1",
				"TF_PLUGIN_CACHE_DIR=", "TF_IN_AUTOMATION=1")
			cmd.Stdout, cmd.Stderr = &out, &out
			if lastErr = cmd.Run(); lastErr != nil {
				break
			}
		}
		lock, _ := os.ReadFile(filepath.Join(work, ".terraform.lock.hcl"))
		return out.String(), string(lock), lastErr
	}

	t.Run("signed by the registry's key", func(t *testing.T) {
		var platformArgs []string
		for _, p := range testPlatforms {
			platformArgs = append(platformArgs, "-platform="+p)
		}
		out, lock, err := run(t, signer, append([]string{"providers", "lock", "-no-color"}, platformArgs...)...)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		keyID := fmt.Sprintf("%016X", signer.PrimaryKey.KeyId)
		if !regexp.MustCompile(`Installed acme/demo v0\.1\.0 \(.*signed.*` + keyID).MatchString(out) {
			t.Errorf("init did not report a signed install by key %s:\n%s", keyID, out)
		}
		if !strings.Contains(lock, `provider "`+host+`/acme/demo"`) || !strings.Contains(lock, `version     = "0.1.0"`) {
			t.Errorf("lock file:\n%s", lock)
		}
		// One h1 hash per locked platform (computed from the packages) and a
		// zh hash for every line of the signed SHA256SUMS: the CLI trusts
		// them all once the signature verifies (the other program's
		// archives and the manifest included).
		if got := strings.Count(lock, `"h1:`); got != len(testPlatforms) {
			t.Errorf("%d h1 hashes, want %d:\n%s", got, len(testPlatforms), lock)
		}
		for name, sum := range sums {
			if !strings.Contains(lock, `"zh:`+sum+`"`) {
				t.Errorf("the lock file lacks the zh hash of %s:\n%s", name, lock)
			}
		}
		if got := strings.Count(lock, `"zh:`); got != len(sums) {
			t.Errorf("%d zh hashes, want %d:\n%s", got, len(sums), lock)
		}
	})

	t.Run("signed by another key", func(t *testing.T) {
		out, _, err := run(t, other)
		if err == nil {
			t.Fatalf("init installed a release signed by another key:\n%s", out)
		}
		if !strings.Contains(strings.ToLower(out), "signature") || strings.Contains(out, "Installed acme/demo") {
			t.Errorf("init failed, but not on the signature:\n%s", out)
		}
		t.Logf("refused as expected:\n%s", out)
	})
}
