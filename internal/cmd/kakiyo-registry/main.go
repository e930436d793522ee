// Command kakiyo-registry serves a directory of provider release archives
// (what goreleaser writes into dist/) over the Terraform provider registry
// protocol, on 127.0.0.1 and over HTTPS, so that `terraform init` and
// `tofu init` install and verify a release exactly as they would from a
// public registry:
//
//	go run ./internal/cmd/kakiyo-registry -dir dist -namespace kakiyo \
//	    -signing-key dist/signing-key.asc -ca-file ca.pem -addr-file addr
//
// Terraform and OpenTofu speak to registries over HTTPS only, so it makes a
// certificate authority and a certificate for 127.0.0.1 at start and writes
// the authority's certificate to -ca-file: trust it with SSL_CERT_FILE. Point
// the CLIs at it with a CLI configuration such as
//
//	host "registry.terraform.io" {
//	  services = { "providers.v1" = "https://127.0.0.1:PORT/v1/providers/" }
//	}
//
// It refuses to start unless every file that SHA256SUMS lists has that
// checksum and the signature of SHA256SUMS verifies with -signing-key. It
// logs one line per request.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kakiyo-registry:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "dist", "directory of release archives, SHA256SUMS, signature and manifest")
	namespace := flag.String("namespace", "", "the providers' namespace in source addresses (e.g. kakiyo in kakiyo/kakiyo)")
	keyFile := flag.String("signing-key", "", "ASCII-armored public key that signed SHA256SUMS")
	port := flag.Int("port", 0, "port on 127.0.0.1 (0 picks a free one)")
	caFile := flag.String("ca-file", "", "write the certificate authority's PEM certificate to this file")
	addrFile := flag.String("addr-file", "", "write the base URL to this file once listening")
	flag.Parse()
	if *namespace == "" || *keyFile == "" || *caFile == "" {
		return errors.New("-namespace, -signing-key and -ca-file are required")
	}
	key, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	reg, err := load(*dir, *namespace, key, loadOptions{verifySignature: true})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	cert, caPEM, err := loopbackCertificate()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*caFile, caPEM, 0o600); err != nil {
		return err
	}
	reg.baseURL = "https://" + ln.Addr().String()
	for typ, rels := range reg.releases {
		for _, rel := range rels {
			fmt.Printf("kakiyo-registry: %s/%s %s, %d platforms, protocols %v, key %s\n",
				*namespace, typ, rel.Version, len(rel.Packages), rel.Protocols, reg.keyID)
		}
	}
	fmt.Printf("kakiyo-registry: listening on %s (providers.v1 = %s/v1/providers/)\n", reg.baseURL, reg.baseURL)
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(reg.baseURL+"\n"), 0o600); err != nil {
			return err
		}
	}

	hs := &http.Server{
		Handler:           reg.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loopbackCertificate makes a certificate authority that lives as long as
// the process (its private key is never written) and a server certificate
// it signs for 127.0.0.1, ::1 and localhost. It returns the server's
// certificate and the authority's certificate in PEM.
func loopbackCertificate() (tls.Certificate, []byte, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kakiyo-registry loopback CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caPEM, nil
}
