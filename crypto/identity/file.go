package identity

import (
	"fmt"
	"io"
	"os"
)

// ReadFile reads a key file (armored or binary, public or secret), refusing
// one larger than any key block ParsePublic or ParseSecret accepts, so a
// wrong file chosen by mistake is not read whole. Errors name the file.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeySize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > maxKeySize {
		return nil, fmt.Errorf("reading %s: larger than %d bytes, not a key file", path, maxKeySize)
	}
	return b, nil
}
