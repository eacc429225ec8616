package main

import (
	"context"
	"errors"
	"io"

	"zsbot"
)

// writeXLSX is replaced by the Excel export (issue: figures and notices).
func writeXLSX(ctx context.Context, e *env, d *zsbot.Dump, w io.Writer) error {
	return errors.New("xlsx export is not available yet; use --format json")
}
