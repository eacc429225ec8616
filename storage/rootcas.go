package storage

import (
	"crypto/x509"
	"fmt"
	"os"
)

// ReadRootCAs reads a PEM file of the CA certificates that the servers of a
// rediss URL are verified against (DialOptions.RootCAs). It fails when the
// file cannot be read or holds no certificate.
func ReadRootCAs(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}
