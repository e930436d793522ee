package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// A release directory, as goreleaser writes it, holds for each provider
// version:
//
//	terraform-provider-<type>_<version>_SHA256SUMS       checksums of every file below
//	terraform-provider-<type>_<version>_SHA256SUMS.sig   its detached GPG signature
//	terraform-provider-<type>_<version>_manifest.json    protocol versions
//	terraform-provider-<type>_<version>_<os>_<arch>.zip  one package per platform
//
// Other files listed in the checksums (archives of other programs) are
// served as files but are not provider packages.
const (
	providerPrefix = "terraform-provider-"
	sumsSuffix     = "_SHA256SUMS"
)

// defaultProtocols is what the Terraform Registry assumes for a release
// without a manifest.
var defaultProtocols = []string{"5.0"}

type platformPackage struct {
	OS, Arch, Filename, SHA256 string
}

type release struct {
	Type, Version string
	Protocols     []string
	SumsFile      string
	SigFile       string
	Packages      []platformPackage // sorted by os, arch
}

type loadOptions struct {
	// verifySignature checks each SHA256SUMS file's signature against the
	// signing key before serving it. Off only in tests that need a registry
	// serving a bad signature.
	verifySignature bool
}

// registry serves the provider releases of one directory for one namespace.
type registry struct {
	dir       string
	namespace string
	keyID     string // 16 hex digits, upper case
	armor     string // ASCII-armored public key
	releases  map[string][]*release
	files     map[string]bool // names that may be downloaded
	baseURL   string          // where clients reach the registry, e.g. https://127.0.0.1:8443

	mu   sync.Mutex
	hits map[string]int // "GET /v1/providers/.../versions" -> count
}

var (
	semverPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	typePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// load reads every provider release of dir and checks that each listed file
// is present with the checksum SHA256SUMS gives it.
func load(dir, namespace string, armoredKey []byte, opts loadOptions) (*registry, error) {
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armoredKey))
	if err != nil {
		return nil, fmt.Errorf("reading the signing key: %w", err)
	}
	if len(keyring) != 1 {
		return nil, fmt.Errorf("the signing key file holds %d keys, want exactly 1", len(keyring))
	}
	r := &registry{
		dir:       dir,
		namespace: namespace,
		keyID:     strings.ToUpper(keyring[0].PrimaryKey.KeyIdString()),
		armor:     string(armoredKey),
		releases:  map[string][]*release{},
		files:     map[string]bool{},
		hits:      map[string]int{},
	}
	sumsFiles, err := filepath.Glob(filepath.Join(dir, providerPrefix+"*"+sumsSuffix))
	if err != nil {
		return nil, err
	}
	if len(sumsFiles) == 0 {
		return nil, fmt.Errorf("no %s*%s file in %s", providerPrefix, sumsSuffix, dir)
	}
	for _, path := range sumsFiles {
		rel, err := r.loadRelease(filepath.Base(path), keyring, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		r.releases[rel.Type] = append(r.releases[rel.Type], rel)
	}
	for _, rels := range r.releases {
		slices.SortFunc(rels, func(a, b *release) int { return strings.Compare(a.Version, b.Version) })
	}
	return r, nil
}

func (r *registry) loadRelease(sumsName string, keyring openpgp.EntityList, opts loadOptions) (*release, error) {
	typeVersion := strings.TrimSuffix(strings.TrimPrefix(sumsName, providerPrefix), sumsSuffix)
	i := strings.LastIndex(typeVersion, "_")
	if i < 0 {
		return nil, fmt.Errorf("the name is not %s<type>_<version>%s", providerPrefix, sumsSuffix)
	}
	rel := &release{Type: typeVersion[:i], Version: typeVersion[i+1:], SumsFile: sumsName, SigFile: sumsName + ".sig"}
	if !typePattern.MatchString(rel.Type) || !semverPattern.MatchString(rel.Version) {
		return nil, fmt.Errorf("type %q or version %q is not valid", rel.Type, rel.Version)
	}
	sums, err := os.ReadFile(filepath.Join(r.dir, sumsName))
	if err != nil {
		return nil, err
	}
	sig, err := os.ReadFile(filepath.Join(r.dir, rel.SigFile))
	if err != nil {
		return nil, fmt.Errorf("the signature: %w", err)
	}
	if opts.verifySignature {
		if _, err := openpgp.CheckDetachedSignature(keyring, bytes.NewReader(sums), bytes.NewReader(sig), nil); err != nil {
			return nil, fmt.Errorf("the signature %s does not verify with key %s: %w", rel.SigFile, r.keyID, err)
		}
	}
	r.files[sumsName], r.files[rel.SigFile] = true, true

	packagePrefix := providerPrefix + rel.Type + "_" + rel.Version + "_"
	manifest := packagePrefix + "manifest.json"
	sc := bufio.NewScanner(bytes.NewReader(sums))
	for line := 1; sc.Scan(); line++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != sha256.Size*2 || strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("line %d is not \"<sha256>  <file name>\": %q", line, sc.Text())
		}
		if err := checkFile(filepath.Join(r.dir, name), sum); err != nil {
			return nil, err
		}
		r.files[name] = true
		switch {
		case name == manifest:
			if rel.Protocols, err = readManifest(filepath.Join(r.dir, name)); err != nil {
				return nil, err
			}
		case strings.HasPrefix(name, packagePrefix) && strings.HasSuffix(name, ".zip"):
			goos, goarch, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(name, packagePrefix), ".zip"), "_")
			if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "_") {
				return nil, fmt.Errorf("package %s is not named %s<os>_<arch>.zip", name, packagePrefix)
			}
			rel.Packages = append(rel.Packages, platformPackage{OS: goos, Arch: goarch, Filename: name, SHA256: sum})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rel.Packages) == 0 {
		return nil, fmt.Errorf("it lists no %s<os>_<arch>.zip", packagePrefix)
	}
	if rel.Protocols == nil {
		rel.Protocols = defaultProtocols
	}
	slices.SortFunc(rel.Packages, func(a, b platformPackage) int {
		return strings.Compare(a.OS+"_"+a.Arch, b.OS+"_"+b.Arch)
	})
	return rel, nil
}

func checkFile(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s has SHA-256 %s, but the checksums say %s", filepath.Base(path), got, want)
	}
	return nil
}

func readManifest(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if m.Version != 1 || len(m.Metadata.ProtocolVersions) == 0 {
		return nil, fmt.Errorf("%s: want version 1 and at least one protocol version", filepath.Base(path))
	}
	return m.Metadata.ProtocolVersions, nil
}

// handler serves the provider registry protocol
// (https://developer.hashicorp.com/terraform/internals/provider-registry-protocol)
// under /v1/providers/, its service discovery, and the files under /files/.
func (r *registry) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"providers.v1": "/v1/providers/"})
	})
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/versions", r.versions)
	mux.HandleFunc("GET /v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", r.download)
	mux.HandleFunc("GET /files/{name}", func(w http.ResponseWriter, req *http.Request) {
		name := req.PathValue("name")
		if !r.files[name] {
			notFound(w, "no file "+name)
			return
		}
		http.ServeFile(w, req, filepath.Join(r.dir, name))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		notFound(w, "not found: "+req.Method+" "+req.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(rec, req)
		r.mu.Lock()
		r.hits[fmt.Sprintf("%s %s %d", req.Method, req.URL.Path, rec.status)]++
		r.mu.Unlock()
		fmt.Fprintf(logOutput, "kakiyo-registry: %s %s %d %q\n", req.Method, req.URL.Path, rec.status, req.UserAgent())
	})
}

// logOutput receives one line per request.
var logOutput io.Writer = os.Stdout

func (r *registry) releasesOf(req *http.Request) ([]*release, bool) {
	if !strings.EqualFold(req.PathValue("namespace"), r.namespace) {
		return nil, false
	}
	rels, ok := r.releases[strings.ToLower(req.PathValue("type"))]
	return rels, ok
}

func (r *registry) versions(w http.ResponseWriter, req *http.Request) {
	rels, ok := r.releasesOf(req)
	if !ok {
		notFound(w, fmt.Sprintf("no provider %s/%s", req.PathValue("namespace"), req.PathValue("type")))
		return
	}
	type platform struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
	}
	type version struct {
		Version   string     `json:"version"`
		Protocols []string   `json:"protocols"`
		Platforms []platform `json:"platforms"`
	}
	out := struct {
		Versions []version `json:"versions"`
	}{}
	for _, rel := range rels {
		v := version{Version: rel.Version, Protocols: rel.Protocols}
		for _, p := range rel.Packages {
			v.Platforms = append(v.Platforms, platform{OS: p.OS, Arch: p.Arch})
		}
		out.Versions = append(out.Versions, v)
	}
	writeJSON(w, http.StatusOK, out)
}

type gpgPublicKey struct {
	KeyID      string `json:"key_id"`
	ASCIIArmor string `json:"ascii_armor"`
}

type downloadAnswer struct {
	Protocols           []string `json:"protocols"`
	OS                  string   `json:"os"`
	Arch                string   `json:"arch"`
	Filename            string   `json:"filename"`
	DownloadURL         string   `json:"download_url"`
	SHASumsURL          string   `json:"shasums_url"`
	SHASumsSignatureURL string   `json:"shasums_signature_url"`
	SHASum              string   `json:"shasum"`
	SigningKeys         struct {
		GPGPublicKeys []gpgPublicKey `json:"gpg_public_keys"`
	} `json:"signing_keys"`
}

func (r *registry) download(w http.ResponseWriter, req *http.Request) {
	rels, ok := r.releasesOf(req)
	if !ok {
		notFound(w, fmt.Sprintf("no provider %s/%s", req.PathValue("namespace"), req.PathValue("type")))
		return
	}
	i := slices.IndexFunc(rels, func(rel *release) bool { return rel.Version == req.PathValue("version") })
	if i < 0 {
		notFound(w, "no version "+req.PathValue("version"))
		return
	}
	rel := rels[i]
	j := slices.IndexFunc(rel.Packages, func(p platformPackage) bool {
		return p.OS == req.PathValue("os") && p.Arch == req.PathValue("arch")
	})
	if j < 0 {
		notFound(w, fmt.Sprintf("version %s has no package for %s_%s", rel.Version, req.PathValue("os"), req.PathValue("arch")))
		return
	}
	p := rel.Packages[j]
	base := r.baseURL
	if base == "" {
		base = "http://" + req.Host
		if req.TLS != nil {
			base = "https://" + req.Host
		}
	}
	ans := downloadAnswer{
		Protocols:           rel.Protocols,
		OS:                  p.OS,
		Arch:                p.Arch,
		Filename:            p.Filename,
		DownloadURL:         base + "/files/" + p.Filename,
		SHASumsURL:          base + "/files/" + rel.SumsFile,
		SHASumsSignatureURL: base + "/files/" + rel.SigFile,
		SHASum:              p.SHA256,
	}
	ans.SigningKeys.GPGPublicKeys = []gpgPublicKey{{KeyID: r.keyID, ASCIIArmor: r.armor}}
	writeJSON(w, http.StatusOK, ans)
}

// Hits returns how many requests each "METHOD path status" got.
func (r *registry) Hits() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.hits)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// notFound answers 404 in the registry API's error format.
func notFound(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusNotFound, map[string][]string{"errors": {msg}})
}
